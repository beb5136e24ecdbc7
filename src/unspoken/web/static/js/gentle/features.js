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

/** The distinct features of a folded text: n: its length in words, s: its opening word and
 * pair, w: words, b: pairs, t: triples, c: letters inside words.
 * @param {string} folded
 * @returns {Set<string>}
 */
export function features(folded) {
  const words = tokens(folded);
  const found = new Set();
  found.add(lengthFeature(words.length));
  if (words.length > 0) {
    found.add(`s:${words[0]}`);
    if (words.length > 1) found.add(`s:${words[0]} ${words[1]}`);
  }
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    found.add(`w:${word}`);
    if (i >= 1) found.add(`b:${words[i - 1]} ${word}`);
    if (i >= 2) found.add(`t:${words[i - 2]} ${words[i - 1]} ${word}`);
    if (word === "?" || word === "!") continue;
    const padded = ` ${word} `;
    for (const size of CHAR_SIZES) {
      for (let start = 0; start + size <= padded.length; start += 1) {
        found.add(`c:${padded.slice(start, start + size)}`);
      }
    }
  }
  return found;
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
