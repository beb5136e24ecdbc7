// The gentle check in the browser: the same rules file and the same steps as
// src/unspoken/gentle/matcher.py, so a draft is read on the writer's device and never sent
// anywhere unsealed. Pure: no DOM, no storage; loadRules() is the only network call, and it
// fetches the rules, never the text.
//
// Spans are reported in Unicode code points, as Python counts them, so the shared vectors
// compare exactly; utf16Range() converts a finding back for slicing a textarea's value.

/** @import { Span } from "./features.js" */

/**
 * What the rules file says of a category, in English.
 * @typedef {object} CategoryWords
 * @property {string} [label]
 * @property {string} antidote
 * @property {string} suggestion
 */

/**
 * Where a guard reads, around a match (see docs/gentle.md, "How it decides").
 * @typedef {"before" | "prefix" | "after" | "group" | "sentence" | "window"} GuardPlace
 */

/**
 * A guard as the rules file holds it.
 * @typedef {object} GuardFile
 * @property {string} where one of the GuardPlace names, checked when compiled
 * @property {string} pattern
 * @property {boolean} [question] blocks only inside a question
 * @property {string} [why]
 */

/**
 * A pattern as the rules file holds it.
 * @typedef {object} PatternFile
 * @property {string} id
 * @property {string} category
 * @property {string[]} starts how its matches begin, folded (for dispatch)
 * @property {string} pattern
 * @property {string[]} guards names of guards in the file's `guards`
 * @property {boolean} [opening] only at the opening of a sentence
 * @property {string | null} [rewrite] a wording, `{1}` for the pattern's first group
 * @property {string} [why]
 */

/**
 * The rules file (static/gentle/rules.json) as parsed JSON.
 * @typedef {object} RulesFile
 * @property {number} [version]
 * @property {string} [about]
 * @property {Record<string, string>} fold letter → the letters folded onto it
 * @property {Record<string, string>} macros name → pattern text for `%name%`
 * @property {string} sentence
 * @property {string} quote
 * @property {string} question
 * @property {string} opening
 * @property {Record<string, CategoryWords>} categories
 * @property {Record<string, GuardFile>} guards
 * @property {PatternFile[]} patterns
 * @property {undefined} [compiled] never in a file: what tells it from compiled Rules
 */

/**
 * @typedef {object} Guard
 * @property {string} id
 * @property {GuardPlace} where
 * @property {RegExp} regex
 * @property {boolean} questionOnly
 */

/**
 * @typedef {object} Pattern
 * @property {string} id
 * @property {string} category
 * @property {RegExp} regex sticky, with group indices (`duy`)
 * @property {string[]} starts
 * @property {boolean} opening
 * @property {Guard[]} guards
 * @property {string | null} rewrite
 */

/**
 * Which patterns may start at a word, by the word's first letters.
 * @typedef {object} Dispatch
 * @property {Map<string, number[]>} byStart a start → indices of its patterns
 * @property {Set<string>} prefixes every prefix of every start
 * @property {RegExp} wordStart
 * @property {Map<string, number[]>} seen a memo of patternsAt()
 */

/**
 * The rules as compileRules() gives them.
 * @typedef {object} Rules
 * @property {true} compiled
 * @property {Map<string, string>} fold
 * @property {RegExp} sentence
 * @property {RegExp} quote
 * @property {RegExp} question
 * @property {RegExp} opening
 * @property {Record<string, CategoryWords>} categories
 * @property {Pattern[]} patterns
 * @property {Dispatch} dispatch
 */

/**
 * A draft as the check reads it: folded, with its sentences and quotes (UTF-16 spans).
 * @typedef {object} DraftReading
 * @property {string} folded
 * @property {Span[]} sentences
 * @property {Span[]} quotes
 */

/**
 * A match that no guard stopped (UTF-16 indices into the folded draft).
 * @typedef {object} Candidate
 * @property {Pattern} pattern
 * @property {number} order the pattern's place in the file
 * @property {number} start
 * @property {number} end
 * @property {Span | null} group the first group's span, when it matched something
 */

/**
 * What the gentle check says of a stretch of the draft; `start`/`end` count code points.
 * @typedef {object} Finding
 * @property {string} category
 * @property {number} start
 * @property {number} end
 * @property {string} text the draft's own words there
 * @property {string} rule the pattern's id, or "model"
 * @property {string} antidote
 * @property {string} suggestion
 * @property {string | null} rewrite a wording the writer may take
 */

const RULES_URL = new URL("../../gentle/rules.json", import.meta.url);
const MACRO = /%([a-z<>'_-]+)%/gu;
const MAX_MACRO_DEPTH = 6;
const TRAILING = " ,";
const SEEN_LIMIT = 50000;
const PLACES = ["before", "prefix", "after", "group", "sentence", "window"];
/** @type {WeakMap<RulesFile, Rules>} */
const compiledCache = new WeakMap();

/**
 * Fetch and compile the rules (served next to the app as static/gentle/rules.json).
 * @param {URL | string} [url]
 * @returns {Promise<Rules>}
 */
export async function loadRules(url = RULES_URL) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`The gentle check's rules did not load (${response.status}).`);
  // The file's shape is the rules file's own (tests/gentle/test_rules_file.py checks it).
  const data = /** @type {RulesFile} */ (await response.json());
  return compileRules(data);
}

/**
 * A pattern with its `%name%` macros written out (macros may hold macros).
 * @param {string} pattern
 * @param {Record<string, string>} macros
 * @returns {string}
 */
export function expand(pattern, macros) {
  for (let depth = 0; depth < MAX_MACRO_DEPTH; depth += 1) {
    const expanded = pattern.replace(MACRO, (_, /** @type {string} */ name) => {
      if (!(name in macros)) throw new Error(`unknown macro %${name}%`);
      return macros[name];
    });
    if (expanded === pattern) return expanded;
    pattern = expanded;
  }
  throw new Error(`macros nest deeper than ${MAX_MACRO_DEPTH}`);
}

/**
 * Anchors are added here, not in the file: `$` without the `m` flag is Python's `\Z`.
 * @param {string} source
 * @param {GuardPlace} where
 * @returns {RegExp}
 */
function anchored(source, where) {
  if (where === "before") return new RegExp(`(?:${source})$`, "u");
  if (where === "prefix") return new RegExp(`^(?:${source})$`, "u");
  return new RegExp(`^(?:${source})`, "u");
}

/**
 * @param {Record<string, string>} fold
 * @returns {Map<string, string>}
 */
function foldTable(fold) {
  // ASCII-only lower-casing keeps every index in place; the engines' `i` flags disagree on a
  // few letters (İ, ı, ſ, K), so case is folded here instead of by a flag.
  /** @type {Map<string, string>} */
  const table = new Map();
  for (let c = 65; c <= 90; c += 1) table.set(String.fromCharCode(c), String.fromCharCode(c + 32));
  for (const [target, sources] of Object.entries(fold)) {
    for (const source of sources) table.set(source, target);
  }
  return table;
}

/**
 * @param {string} where
 * @returns {where is GuardPlace}
 */
function isPlace(where) {
  return PLACES.includes(where);
}

/**
 * @param {string} id
 * @param {GuardFile} raw
 * @param {Record<string, string>} macros
 * @returns {Guard}
 */
function compileGuard(id, raw, macros) {
  const where = raw.where;
  if (!isPlace(where)) {
    throw new Error(`guard ${id}: unknown place ${where}`);
  }
  return { id, where, regex: anchored(expand(raw.pattern, macros), where), questionOnly: !!raw.question };
}

/**
 * @param {PatternFile} raw
 * @param {Record<string, string>} macros
 * @param {Map<string, Guard>} guards
 * @returns {Pattern}
 */
function compilePattern(raw, macros, guards) {
  return {
    id: raw.id,
    category: raw.category,
    // sticky (`y`) tries one place, like Python's pattern.match(text, pos); `d` gives group spans.
    regex: new RegExp(expand(raw.pattern, macros), "duy"),
    starts: raw.starts,
    opening: !!raw.opening,
    guards: raw.guards.map((name) => {
      const guard = guards.get(name);
      if (guard === undefined) throw new Error(`pattern ${raw.id}: unknown guard ${name}`);
      return guard;
    }),
    rewrite: raw.rewrite ?? null,
  };
}

/**
 * @param {Pattern[]} patterns
 * @returns {Dispatch}
 */
function makeDispatch(patterns) {
  /** @type {Map<string, number[]>} */
  const byStart = new Map();
  for (const [i, pattern] of patterns.entries()) {
    for (const start of pattern.starts) {
      let ids = byStart.get(start);
      if (ids === undefined) byStart.set(start, (ids = []));
      ids.push(i);
    }
  }
  /** @type {Set<string>} */
  const prefixes = new Set();
  let keyLength = 1;
  for (const start of byStart.keys()) {
    const points = [...start];
    keyLength = Math.max(keyLength, points.length);
    for (let n = 1; n <= points.length; n += 1) prefixes.add(points.slice(0, n).join(""));
  }
  const wordStart = new RegExp(`(?<![a-z0-9'])(?=([a-z0-9][^\\n]{0,${keyLength - 1}}))`, "gu");
  return { byStart, prefixes, wordStart, seen: new Map() };
}

/**
 * Compile the rules file's JSON (what loadRules() does after fetching); compiled rules come
 * back as they are.
 * @param {RulesFile | Rules} data
 * @returns {Rules}
 */
export function compileRules(data) {
  if (data && data.compiled === true) return data;
  const cached = compiledCache.get(data);
  if (cached !== undefined) return cached;
  const macros = data.macros;
  const guards = new Map(
    Object.entries(data.guards).map(([id, raw]) => [id, compileGuard(id, raw, macros)]),
  );
  const patterns = data.patterns.map((raw) => compilePattern(raw, macros, guards));
  /** @type {Rules} */
  const rules = {
    compiled: true,
    fold: foldTable(data.fold),
    sentence: new RegExp(expand(data.sentence, macros), "gu"),
    quote: new RegExp(expand(data.quote, macros), "gu"),
    question: new RegExp(`(?:${expand(data.question, macros)})$`, "u"),
    opening: new RegExp(`^(?:${expand(data.opening, macros)})$`, "u"),
    categories: data.categories,
    patterns,
    dispatch: makeDispatch(patterns),
  };
  compiledCache.set(data, rules);
  return rules;
}

/**
 * @param {string} text
 * @param {Map<string, string>} table
 * @returns {string}
 */
function fold(text, table) {
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    out += table.get(c) ?? c;
  }
  return out;
}

/**
 * @param {RegExp} regex
 * @param {string} text
 * @returns {Span[]}
 */
function spans(regex, text) {
  return [...text.matchAll(regex)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * @param {string} text
 * @param {Rules} rules
 * @returns {DraftReading}
 */
function readDraft(text, rules) {
  const folded = fold(text, rules.fold);
  const sentences = spans(rules.sentence, folded);
  return { folded, sentences, quotes: spans(rules.quote, folded) };
}

/**
 * The sentence holding a UTF-16 index, or null between sentences.
 * @param {DraftReading} draft
 * @param {number} index
 * @returns {number | null}
 */
function sentenceAt(draft, index) {
  let lo = 0;
  let hi = draft.sentences.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (draft.sentences[mid][0] <= index) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && index < draft.sentences[i][1] ? i : null;
}

/**
 * Indices of the patterns that may start with `key` (a word and what follows it).
 * @param {Dispatch} dispatch
 * @param {string} key
 * @returns {number[]}
 */
function patternsAt(dispatch, key) {
  let ids = dispatch.seen.get(key);
  if (ids !== undefined) return ids;
  /** @type {number[][]} */
  const hits = [];
  const points = [...key];
  for (let n = 1; n <= points.length; n += 1) {
    const head = points.slice(0, n).join("");
    if (!dispatch.prefixes.has(head)) break; // no start begins this way: stop walking
    const hit = dispatch.byStart.get(head);
    if (hit) hits.push(hit);
  }
  ids = hits.length === 1 ? hits[0] : [...new Set(hits.flat())].sort((a, b) => a - b);
  if (dispatch.seen.size > SEEN_LIMIT) dispatch.seen.clear();
  dispatch.seen.set(key, ids);
  return ids;
}

/**
 * For each pattern, the indices where it may match.
 * @param {string} folded
 * @param {Rules} rules
 * @returns {number[][]}
 */
function places(folded, rules) {
  const result = rules.patterns.map(() => /** @type {number[]} */ ([]));
  for (const match of folded.matchAll(rules.dispatch.wordStart)) {
    for (const i of patternsAt(rules.dispatch, match[1])) result[i].push(match.index);
  }
  return result;
}

/**
 * @param {Pattern} pattern
 * @param {string} folded
 * @param {number[]} at
 * @returns {RegExpExecArray[]}
 */
function matchesAt(pattern, folded, at) {
  /** @type {RegExpExecArray[]} */
  const found = [];
  let freeFrom = 0;
  for (const index of at) {
    if (index < freeFrom) continue;
    pattern.regex.lastIndex = index;
    const match = pattern.regex.exec(folded);
    if (match !== null && match.index + match[0].length > index) {
      found.push(match);
      freeFrom = match.index + match[0].length;
    }
  }
  return found;
}

/**
 * @param {DraftReading} draft
 * @param {number} i
 * @returns {string}
 */
function sentenceText(draft, i) {
  const [start, end] = draft.sentences[i];
  return draft.folded.slice(start, end);
}

/**
 * @param {GuardPlace} where
 * @param {RegExpExecArray} match
 * @param {DraftReading} draft
 * @param {number} i
 * @returns {string}
 */
function context(where, match, draft, i) {
  const last = draft.sentences.length - 1;
  const nextEnd = draft.sentences[Math.min(i + 1, last)][1];
  const end = match.index + match[0].length;
  if (where === "after") return draft.folded.slice(end, nextEnd);
  if (where === "group") return match.length > 1 ? (match[1] ?? "") : "";
  if (where === "sentence") return sentenceText(draft, i);
  // "window": a break with a time to come back may be asked for just before or just after.
  return draft.folded.slice(draft.sentences[Math.max(i - 1, 0)][0], nextEnd);
}

/**
 * @param {Guard} guard
 * @param {string} text
 * @param {boolean} isQuestion
 * @returns {boolean}
 */
function blocks(guard, text, isQuestion) {
  if (guard.questionOnly && !isQuestion) return false;
  return guard.regex.test(text);
}

/**
 * True when the match is quoted, out of place, or one of its guards applies.
 * @param {RegExpExecArray} match
 * @param {Pattern} pattern
 * @param {DraftReading} draft
 * @param {Rules} rules
 * @returns {boolean}
 */
function guarded(match, pattern, draft, rules) {
  const start = match.index;
  const end = start + match[0].length;
  const i = sentenceAt(draft, start);
  if (i === null || draft.quotes.some(([qs, qe]) => qs <= start && end <= qe)) return true;
  const before = draft.folded.slice(draft.sentences[i][0], start);
  if (pattern.opening && !rules.opening.test(before)) return true;
  if (pattern.guards.length === 0) return false;
  const isQuestion = rules.question.test(sentenceText(draft, i));
  return pattern.guards.some((guard) => {
    const where = guard.where;
    const text = where === "before" || where === "prefix" ? before : context(where, match, draft, i);
    return blocks(guard, text, isQuestion);
  });
}

/**
 * @param {string} folded
 * @param {number} start
 * @param {number} end
 * @returns {number}
 */
function trimmedEnd(folded, start, end) {
  while (end > start && TRAILING.includes(folded[end - 1])) end -= 1;
  return end;
}

/**
 * @param {DraftReading} draft
 * @param {Rules} rules
 * @returns {Candidate[]}
 */
function candidates(draft, rules) {
  /** @type {Candidate[]} */
  const found = [];
  const at = places(draft.folded, rules);
  rules.patterns.forEach((pattern, order) => {
    for (const match of matchesAt(pattern, draft.folded, at[order])) {
      const end = trimmedEnd(draft.folded, match.index, match.index + match[0].length);
      if (end <= match.index || guarded(match, pattern, draft, rules)) continue;
      // Every pattern has the `d` flag, so `indices` is there.
      const span = match.indices?.[1];
      const group = span && match[1] ? span : null;
      found.push({ pattern, order, start: match.index, end, group });
    }
  });
  return found;
}

/**
 * @param {Candidate[]} found
 * @returns {Candidate[]}
 */
function nonOverlapping(found) {
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const kept = [];
  for (const c of found) {
    if (kept.length === 0 || c.start >= kept[kept.length - 1].end) kept.push(c);
  }
  return kept;
}

/**
 * @param {string} text
 * @returns {string}
 */
function strip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && TRAILING.includes(text[start])) start += 1;
  while (end > start && TRAILING.includes(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

/**
 * @param {string} text
 * @param {Candidate} candidate
 * @returns {string | null}
 */
function rewriteFor(text, candidate) {
  const template = candidate.pattern.rewrite;
  if (template === null || !template.includes("{1}")) return template;
  if (candidate.group === null) return null;
  const behaviour = strip(text.slice(candidate.group[0], candidate.group[1]));
  return behaviour ? template.replaceAll("{1}", behaviour) : null;
}

/**
 * UTF-16 index → code point index, for a text that may hold emoji (surrogate pairs).
 * @param {string} text
 * @returns {(i: number) => number}
 */
export function codePointCounter(text) {
  // Without the `u` flag the class sees single UTF-16 units, so it finds any surrogate.
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const counts = new Uint32Array(text.length + 1);
  let points = 0;
  for (let i = 0; i < text.length; i += 1) {
    counts[i] = points;
    const unit = text.charCodeAt(i);
    if (!(unit >= 0xdc00 && unit <= 0xdfff && i > 0 && isHigh(text.charCodeAt(i - 1)))) points += 1;
  }
  counts[text.length] = points;
  return (i) => counts[i];
}

/**
 * @param {number} unit
 * @returns {boolean}
 */
function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * Findings for a draft, in reading order: {category, start, end, text, rule, antidote,
 * suggestion, rewrite}. `start`/`end` count code points. Never blocks; never sends anything.
 * @param {string} text
 * @param {RulesFile | Rules} rules
 * @returns {Finding[]}
 */
export function check(text, rules) {
  const compiled = compileRules(rules);
  const draft = readDraft(text, compiled);
  const toPoints = codePointCounter(text);
  return nonOverlapping(candidates(draft, compiled)).map((c) => {
    const words = compiled.categories[c.pattern.category];
    return {
      category: c.pattern.category,
      start: toPoints(c.start),
      end: toPoints(c.end),
      text: text.slice(c.start, c.end),
      rule: c.pattern.id,
      antidote: words.antidote,
      suggestion: words.suggestion,
      rewrite: rewriteFor(text, c),
    };
  });
}

/**
 * [start, end] of a finding in UTF-16 units, for slicing `text` or a textarea's value.
 * @param {string} text
 * @param {{start: number, end: number}} finding
 * @returns {Span}
 */
export function utf16Range(text, finding) {
  let units = 0;
  let points = 0;
  let start = finding.start === 0 ? 0 : null;
  for (const char of text) {
    units += char.length;
    points += 1;
    if (points === finding.start) start = units;
    // `start` is set by now for any finding with start <= end (all the check gives).
    if (points === finding.end) return [start ?? units, units];
  }
  return [start ?? units, units];
}
