// The whole gentle check in the browser: the rules (English) and the model (English and
// French) together, the same steps as src/unspoken/gentle/draft.py (see docs/gentle.md): the
// model decides each stretch, reading the rules' findings as evidence; a rule finding stands
// when the model says its category. Pure: no DOM, no storage, no network; the shared vectors
// keep it equal to Python.

import { check, codePointCounter, compileRules } from "./check.js";
import { CLAUSE, SENTENCE, fold, spans } from "./features.js";
import { CATEGORIES, forLanguage, says, scoreText } from "./model.js";

/**
 * @import { Finding, Rules, RulesFile } from "./check.js"
 * @import { Span } from "./features.js"
 * @import { LanguageModel, Model, Scores } from "./model.js"
 */

/**
 * Up to three sentences read together: [start, end, sentences] (UTF-16 indices).
 * @typedef {[number, number, Span[]]} Stretch
 */

/**
 * A clause with its scores: [start, end, scores] (UTF-16 indices).
 * @typedef {[number, number, Scores]} Clause
 */

/**
 * What checkDraft() reads a draft with.
 * @typedef {object} DraftOptions
 * @property {RulesFile | Rules | null} [rules]
 * @property {Model | null} [model] as loadModel() or parseModel() gives it
 * @property {string} [language] a language tag ("en", "fr-CA")
 */

const STRETCH = 3;
const MODEL_RULE = "model";

/**
 * [start, end, sentences] for consecutive runs of up to three sentences (UTF-16 indices).
 * @param {string} folded
 * @returns {Stretch[]}
 */
export function stretches(folded) {
  const sentences = spans(SENTENCE, folded);
  /** @type {Stretch[]} */
  const found = [];
  for (let i = 0; i < sentences.length; i += STRETCH) {
    const part = sentences.slice(i, i + STRETCH);
    found.push([part[0][0], part[part.length - 1][1], part]);
  }
  return found;
}

/**
 * Rule findings count code points; `start`/`end` here are code points too.
 * @param {Finding[]} findings
 * @param {number} start
 * @param {number} end
 * @returns {Set<string>}
 */
function ruleFeatures(findings, start, end) {
  /** @type {Set<string>} */
  const found = new Set();
  for (const f of findings) {
    if (start <= f.start && f.start < end) {
      found.add(`r:${f.category}`);
      found.add(`r:${f.rule}`);
    }
  }
  return found;
}

/**
 * Each clause of a stretch with its four scores (reading rule findings inside it too).
 * @param {string} folded
 * @param {Span[]} sentences
 * @param {LanguageModel} lm
 * @param {Finding[]} ruleFindings
 * @param {(i: number) => number} toPoints
 * @returns {Clause[]}
 */
function clausesOf(folded, sentences, lm, ruleFindings, toPoints) {
  /** @type {Clause[]} */
  const found = [];
  for (const [sStart, sEnd] of sentences) {
    for (const [start, end] of spans(CLAUSE, folded.slice(sStart, sEnd), sStart)) {
      const extra = ruleFeatures(ruleFindings, toPoints(start), toPoints(end));
      found.push([start, end, scoreText(lm, folded.slice(start, end), extra)]);
    }
  }
  return found;
}

/**
 * The clause scoring highest for one category (the first, on a tie).
 * @param {Clause[]} clauses
 * @param {number} index
 * @returns {Span}
 */
function bestClause(clauses, index) {
  let best = clauses[0];
  for (const clause of clauses.slice(1)) {
    if (clause[2][index] > best[2][index]) best = clause;
  }
  return [best[0], best[1]];
}

/**
 * Rule findings of categories the stretch did not say, which the model says when it reads
 * their own sentence alone ("Whatever." at the head of a long, calm stretch). A stretch of one
 * sentence has been read already.
 * @param {string} folded
 * @param {Span[]} sentences
 * @param {LanguageModel} lm
 * @param {Finding[]} here the rule findings of the stretch
 * @param {string[]} said the categories the stretch said
 * @param {(i: number) => number} toPoints
 * @returns {Finding[]}
 */
function confirmedInSentence(folded, sentences, lm, here, said, toPoints) {
  /** @type {Finding[]} */
  const confirmed = [];
  if (sentences.length < 2) return confirmed;
  for (const [sStart, sEnd] of sentences) {
    const from = toPoints(sStart);
    const to = toPoints(sEnd);
    const inside = here.filter((f) => from <= f.start && f.start < to && !said.includes(f.category));
    if (inside.length === 0) continue;
    const agreed = says(lm, scoreText(lm, folded.slice(sStart, sEnd), ruleFeatures(here, from, to)));
    for (const f of inside) if (agreed.includes(f.category)) confirmed.push(f);
  }
  return confirmed;
}

/**
 * Findings for a draft in a language ("en", "fr"), in reading order; each as check.js gives
 * them, with `start`/`end` in code points. `rules` and `model` as loaded (or raw JSON rules).
 * @param {string} text
 * @param {DraftOptions} options
 * @returns {Finding[]}
 */
export function checkDraft(text, { rules, model, language = "en" }) {
  const english = String(language).split("-")[0].toLowerCase() === "en";
  const compiled = rules ? compileRules(rules) : null;
  const ruleFindings = english && compiled ? check(text, compiled) : [];
  const lm = model ? forLanguage(model, language) : null;
  if (lm === null) return ruleFindings;
  const folded = fold(text);
  const toPoints = codePointCounter(text);
  const key = (/** @type {Finding} */ f) => `${f.category}\u0000${f.start}\u0000${f.end}`;
  /** @type {Map<string, Finding>} */
  const found = new Map();
  for (const [start, end, sentences] of stretches(folded)) {
    const from = toPoints(start);
    const to = toPoints(end);
    const here = ruleFindings.filter((f) => from <= f.start && f.start < to);
    const totals = scoreText(lm, folded.slice(start, end), ruleFeatures(here, from, to));
    const said = says(lm, totals);
    let clauses = null;
    for (const category of said) {
      const own = here.filter((f) => f.category === category);
      if (own.length > 0) {
        // The rules' own words for it: their span and their rewrite.
        for (const f of own) if (!found.has(key(f))) found.set(key(f), f);
        continue;
      }
      const index = CATEGORIES.indexOf(category);
      clauses ??= clausesOf(folded, sentences, lm, here, toPoints);
      const [cStart, cEnd] = bestClause(clauses, index);
      const words = compiled?.categories[category] ?? { antidote: "", suggestion: "" };
      const finding = {
        category,
        start: toPoints(cStart),
        end: toPoints(cEnd),
        text: text.slice(cStart, cEnd),
        rule: MODEL_RULE,
        antidote: words.antidote,
        suggestion: words.suggestion,
        rewrite: lm.rewrites[category] ?? null,
      };
      if (!found.has(key(finding))) found.set(key(finding), finding);
    }
    for (const f of confirmedInSentence(folded, sentences, lm, here, said, toPoints)) {
      if (!found.has(key(f))) found.set(key(f), f);
    }
  }
  return [...found.values()].sort(
    (a, b) =>
      a.start - b.start || b.end - a.end || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category),
  );
}
