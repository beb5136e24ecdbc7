// What the gentle check's model reads in a piece of text: the same steps, character for
// character, as src/unspoken/gentle/features.py (the shared vectors keep them equal).

/**
 * A stretch of text, [start, end): UTF-16 indices here, code points where a finding says so.
 * @typedef {[number, number]} Span
 */

/** @type {Map<string, string>} */
const FOLD = new Map();
for (let c = 65; c <= 90; c += 1) FOLD.set(String.fromCharCode(c), String.fromCharCode(c + 32));
for (let c = 0xc0; c < 0xdf; c += 1) {
  if (c !== 0xd7) FOLD.set(String.fromCharCode(c), String.fromCharCode(c + 32));
}
FOLD.set("\u0152", "\u0153");
FOLD.set("\u00c6", "\u00e6");
for (const c of "\u2019\u2018\u02bc\u2032") FOLD.set(c, "'");
for (const c of "\u201c\u201d\u201e\u00ab\u00bb") FOLD.set(c, '"');

const LETTERS = "a-z0-9\u00e0-\u00f6\u00f8-\u00ff\u0153\u00e6";
const TOKEN = new RegExp(`[${LETTERS}]+(?:'[${LETTERS}]+)*|[?!]`, "gu");
export const SENTENCE = /[^.!?\u2026\n]+[.!?\u2026]*/gu;
export const CLAUSE = /[^,;:\u2014\u2013]+/gu;
const CHAR_SIZES = [3, 4, 5];
// How many words a text holds, in buckets (n:): a closed door is short, a paragraph is long.
const LENGTHS = [1, 2, 3, 5, 8, 12, 20, 35];
const SPACE = " \t\n\r\f\v\u00a0";

/**
 * Lower-case ASCII and Latin-1 capitals, straighten quotes: one UTF-16 unit for one.
 * @param {string} text
 * @returns {string}
 */
export function fold(text) {
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    out += FOLD.get(c) ?? c;
  }
  return out;
}

/**
 * The words of a folded text, and each "?" and "!" as a word of its own.
 * @param {string} folded
 * @returns {string[]}
 */
export function tokens(folded) {
  return folded.match(TOKEN) ?? [];
}

/**
 * n:<bucket>, the largest of LENGTHS not above the number of words (n:0 for none).
 * @param {number} count
 * @returns {string}
 */
export function lengthFeature(count) {
  let bucket = 0;
  for (const size of LENGTHS) if (count >= size) bucket = size;
  return `n:${bucket}`;
}

/**
 * The features of a folded text and how many times each counts: n: its length in words, s: its
 * opening word and pair, w: words, b: pairs, t: triples (once each), c: letters inside words
 * (once per different word holding them).
 * @param {string} folded
 * @returns {Map<string, number>}
 */
export function features(folded) {
  const words = tokens(folded);
  /** @type {Map<string, number>} */
  const found = new Map([[lengthFeature(words.length), 1]]);
  if (words.length > 0) {
    found.set(`s:${words[0]}`, 1);
    if (words.length > 1) found.set(`s:${words[0]} ${words[1]}`, 1);
  }
  for (const word of new Set(words)) {
    for (const feature of wordFeatures(word)) found.set(feature, (found.get(feature) ?? 0) + 1);
  }
  for (let i = 1; i < words.length; i += 1) {
    found.set(`b:${words[i - 1]} ${words[i]}`, 1);
    if (i >= 2) found.set(`t:${words[i - 2]} ${words[i - 1]} ${words[i]}`, 1);
  }
  return found;
}

/**
 * One word's own features, each once: w:<word> and its runs of 3-5 letters (padded with a space).
 * @param {string} word
 * @returns {string[]}
 */
export function wordFeatures(word) {
  const own = new Set([`w:${word}`]);
  if (word !== "?" && word !== "!") {
    const padded = ` ${word} `;
    for (const size of CHAR_SIZES) {
      for (let start = 0; start + size <= padded.length; start += 1) {
        own.add(`c:${padded.slice(start, start + size)}`);
      }
    }
  }
  return [...own];
}

/**
 * [start, end] of each stretch matched by `pattern`, trimmed of white space, plus `offset`.
 * @param {RegExp} pattern a global (`g`) pattern
 * @param {string} text
 * @param {number} [offset]
 * @returns {Span[]}
 */
export function spans(pattern, text, offset = 0) {
  /** @type {Span[]} */
  const found = [];
  for (const match of text.matchAll(pattern)) {
    let start = match.index;
    let end = start + match[0].length;
    while (start < end && SPACE.includes(text[start])) start += 1;
    while (end > start && SPACE.includes(text[end - 1])) end -= 1;
    if (end > start) found.push([offset + start, offset + end]);
  }
  return found;
}
