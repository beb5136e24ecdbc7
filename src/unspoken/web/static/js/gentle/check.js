// The gentle check in the browser: the same rules file and the same steps as
// src/unspoken/gentle/matcher.py, so a draft is read on the writer's device and never sent
// anywhere unsealed. Pure: no DOM, no storage; loadRules() is the only network call, and it
// fetches the rules, never the text.
//
// Spans are reported in Unicode code points, as Python counts them, so the shared vectors
// compare exactly; utf16Range() converts a finding back for slicing a textarea's value.

const RULES_URL = new URL("../../gentle/rules.json", import.meta.url);
const MACRO = /%([a-z<>'_-]+)%/gu;
const MAX_MACRO_DEPTH = 6;
const TRAILING = " ,";
const SEEN_LIMIT = 50000;
const compiledCache = new WeakMap();

/** Fetch and compile the rules (served next to the app as static/gentle/rules.json). */
export async function loadRules(url = RULES_URL) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`The gentle check's rules did not load (${response.status}).`);
  return compileRules(await response.json());
}

export function expand(pattern, macros) {
  for (let depth = 0; depth < MAX_MACRO_DEPTH; depth += 1) {
    const expanded = pattern.replace(MACRO, (_, name) => {
      if (!(name in macros)) throw new Error(`unknown macro %${name}%`);
      return macros[name];
    });
    if (expanded === pattern) return expanded;
    pattern = expanded;
  }
  throw new Error(`macros nest deeper than ${MAX_MACRO_DEPTH}`);
}

// Anchors are added here, not in the file: `$` without the `m` flag is Python's `\Z`.
function anchored(source, where) {
  if (where === "before") return new RegExp(`(?:${source})$`, "u");
  if (where === "prefix") return new RegExp(`^(?:${source})$`, "u");
  return new RegExp(`^(?:${source})`, "u");
}

function foldTable(fold) {
  // ASCII-only lower-casing keeps every index in place; the engines' `i` flags disagree on a
  // few letters (İ, ı, ſ, K), so case is folded here instead of by a flag.
  const table = new Map();
  for (let c = 65; c <= 90; c += 1) table.set(String.fromCharCode(c), String.fromCharCode(c + 32));
  for (const [target, sources] of Object.entries(fold)) {
    for (const source of sources) table.set(source, target);
  }
  return table;
}

function compileGuard(id, raw, macros) {
  const where = raw.where;
  if (!["before", "prefix", "after", "group", "sentence", "window"].includes(where)) {
    throw new Error(`guard ${id}: unknown place ${where}`);
  }
  return { id, where, regex: anchored(expand(raw.pattern, macros), where), questionOnly: !!raw.question };
}

function compilePattern(raw, macros, guards) {
  return {
    id: raw.id,
    category: raw.category,
    // sticky (`y`) tries one place, like Python's pattern.match(text, pos); `d` gives group spans.
    regex: new RegExp(expand(raw.pattern, macros), "duy"),
    starts: raw.starts,
    opening: !!raw.opening,
    guards: raw.guards.map((name) => guards.get(name)),
    rewrite: raw.rewrite ?? null,
  };
}

function makeDispatch(patterns) {
  const byStart = new Map();
  for (const [i, pattern] of patterns.entries()) {
    for (const start of pattern.starts) {
      if (!byStart.has(start)) byStart.set(start, []);
      byStart.get(start).push(i);
    }
  }
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

/** Compile the rules file's JSON (what loadRules() does after fetching). */
export function compileRules(data) {
  if (data && data.compiled === true) return data;
  if (compiledCache.has(data)) return compiledCache.get(data);
  const macros = data.macros;
  const guards = new Map(
    Object.entries(data.guards).map(([id, raw]) => [id, compileGuard(id, raw, macros)]),
  );
  const patterns = data.patterns.map((raw) => compilePattern(raw, macros, guards));
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

function fold(text, table) {
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    out += table.get(c) ?? c;
  }
  return out;
}

function spans(regex, text) {
  return [...text.matchAll(regex)].map((m) => [m.index, m.index + m[0].length]);
}

function readDraft(text, rules) {
  const folded = fold(text, rules.fold);
  const sentences = spans(rules.sentence, folded);
  return { folded, sentences, quotes: spans(rules.quote, folded) };
}

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

function patternsAt(dispatch, key) {
  let ids = dispatch.seen.get(key);
  if (ids !== undefined) return ids;
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

function places(folded, rules) {
  const result = rules.patterns.map(() => []);
  for (const match of folded.matchAll(rules.dispatch.wordStart)) {
    for (const i of patternsAt(rules.dispatch, match[1])) result[i].push(match.index);
  }
  return result;
}

function matchesAt(pattern, folded, at) {
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

function sentenceText(draft, i) {
  const [start, end] = draft.sentences[i];
  return draft.folded.slice(start, end);
}

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

function blocks(guard, text, isQuestion) {
  if (guard.questionOnly && !isQuestion) return false;
  return guard.regex.test(text);
}

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

function trimmedEnd(folded, start, end) {
  while (end > start && TRAILING.includes(folded[end - 1])) end -= 1;
  return end;
}

function candidates(draft, rules) {
  const found = [];
  const at = places(draft.folded, rules);
  rules.patterns.forEach((pattern, order) => {
    for (const match of matchesAt(pattern, draft.folded, at[order])) {
      const end = trimmedEnd(draft.folded, match.index, match.index + match[0].length);
      if (end <= match.index || guarded(match, pattern, draft, rules)) continue;
      const span = match.indices[1];
      const group = span && match[1] ? span : null;
      found.push({ pattern, order, start: match.index, end, group });
    }
  });
  return found;
}

function nonOverlapping(found) {
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const kept = [];
  for (const c of found) {
    if (kept.length === 0 || c.start >= kept[kept.length - 1].end) kept.push(c);
  }
  return kept;
}

function strip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && TRAILING.includes(text[start])) start += 1;
  while (end > start && TRAILING.includes(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

function rewriteFor(text, candidate) {
  const template = candidate.pattern.rewrite;
  if (template === null || !template.includes("{1}")) return template;
  if (candidate.group === null) return null;
  const behaviour = strip(text.slice(candidate.group[0], candidate.group[1]));
  return behaviour ? template.replaceAll("{1}", behaviour) : null;
}

/** UTF-16 index → code point index, for a text that may hold emoji (surrogate pairs). */
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

function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * Findings for a draft, in reading order: {category, start, end, text, rule, antidote,
 * suggestion, rewrite}. `start`/`end` count code points. Never blocks; never sends anything.
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

/** [start, end] of a finding in UTF-16 units, for slicing `text` or a textarea's value. */
export function utf16Range(text, finding) {
  let units = 0;
  let points = 0;
  let start = finding.start === 0 ? 0 : null;
  for (const char of text) {
    units += char.length;
    points += 1;
    if (points === finding.start) start = units;
    if (points === finding.end) return [start, units];
  }
  return [start ?? units, units];
}
