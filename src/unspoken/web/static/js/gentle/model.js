// The gentle check's learned half in the browser: the same data file and the same arithmetic
// as src/unspoken/gentle/model.py. loadModel() fetches the model, never the text. Weights,
// biases and thresholds are whole numbers (units of 1/10000), so every score is an exact sum
// of integers, equal to Python's whatever the order.

import { lengthFeature, tokens, wordFeatures } from "./features.js";

/**
 * One whole number per category, in the order of CATEGORIES (units of 1/SCALE).
 * @typedef {number[]} Scores
 */

/**
 * One language's part of model.json.gz, as the file holds it.
 * @typedef {object} LanguageModelFile
 * @property {Scores} bias
 * @property {Scores} threshold
 * @property {Record<string, Scores>} weights feature → weight per category
 * @property {Record<string, string>} rewrites category → a wording the writer may take
 */

/**
 * The model file (static/gentle/model.json.gz) as parsed JSON.
 * @typedef {object} ModelFile
 * @property {number} format
 * @property {number} scale
 * @property {string} [about]
 * @property {string[]} categories
 * @property {Record<string, LanguageModelFile>} languages language ("en", "fr") → its part
 * @property {undefined} [compiled] never in a file: what tells it from a parsed Model
 */

/**
 * One language's model, ready to score.
 * @typedef {object} LanguageModel
 * @property {string} language
 * @property {Scores} bias
 * @property {Scores} threshold
 * @property {Map<string, Scores>} weights
 * @property {Record<string, string>} rewrites
 * @property {Map<string, Scores>} wordCache word → the sum of its own features' weights
 */

/**
 * The model as parseModel() gives it.
 * @typedef {object} Model
 * @property {true} compiled
 * @property {Map<string, LanguageModel>} languages
 */

const MODEL_URL = new URL("../../gentle/model.json.gz", import.meta.url);
const FORMAT = 2;
const SCALE = 10000;
export const CATEGORIES = ["criticism", "contempt", "defensiveness", "stonewalling"];

/**
 * Fetch the model (static/gentle/model.json.gz) and make it ready to score.
 * @param {URL | string} [url]
 * @returns {Promise<Model>}
 */
export async function loadModel(url = MODEL_URL) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The gentle check's model did not load (${response.status}).`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  // A server or proxy may already have undone the gzip (Content-Encoding): read either way.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  // The file's shape is checked by parseModel (format and categories), not by the parser.
  const data = /** @type {ModelFile} */ (JSON.parse(new TextDecoder().decode(bytes)));
  return parseModel(data);
}

/**
 * The parsed JSON → {languages: Map(name → language model)}; a parsed model comes back as is.
 * @param {ModelFile | Model} data
 * @returns {Model}
 */
export function parseModel(data) {
  if (data?.compiled === true) return data;
  if (data.format !== FORMAT || data.scale !== SCALE || data.categories.join() !== CATEGORIES.join()) {
    throw new Error(`The gentle check's model file has an unknown format (${data?.format}).`);
  }
  /** @type {Map<string, LanguageModel>} */
  const languages = new Map();
  for (const [name, raw] of Object.entries(data.languages)) {
    languages.set(name, {
      language: name,
      bias: raw.bias,
      threshold: raw.threshold,
      weights: new Map(Object.entries(raw.weights)),
      rewrites: raw.rewrites,
      wordCache: new Map(),
    });
  }
  return { compiled: true, languages };
}

/**
 * The model's part for a language tag ("fr-CA" reads "fr"), or null when it has none.
 * @param {Model} model
 * @param {string} language
 * @returns {LanguageModel | null}
 */
export function forLanguage(model, language) {
  return model.languages.get(String(language).split("-")[0].toLowerCase()) ?? null;
}

const WORD_CACHE_LIMIT = 50000;

/**
 * Add a feature's weights, `count` times, to the totals.
 * @param {LanguageModel} lm
 * @param {Scores} total
 * @param {string} feature
 * @param {number} [count]
 */
function add(lm, total, feature, count = 1) {
  const w = lm.weights.get(feature);
  if (w !== undefined) {
    total[0] += count * w[0];
    total[1] += count * w[1];
    total[2] += count * w[2];
    total[3] += count * w[3];
  }
}

/**
 * One score per category for features and their counts, as features() gives them.
 * @param {LanguageModel} lm
 * @param {Map<string, number>} found
 * @returns {Scores}
 */
export function scores(lm, found) {
  const total = lm.bias.slice();
  for (const [feature, count] of found) add(lm, total, feature, count);
  return total;
}

/**
 * The scores of a folded text, with some features found elsewhere (the rules' findings), each
 * once: the same sum as scores(lm, features(folded)), with each different word's own features
 * added up once, from a cache.
 * @param {LanguageModel} lm
 * @param {string} folded
 * @param {Iterable<string>} [extra]
 * @returns {Scores}
 */
export function scoreText(lm, folded, extra = []) {
  const words = tokens(folded);
  const once = new Set([lengthFeature(words.length), ...extra]);
  if (words.length > 0) {
    once.add(`s:${words[0]}`);
    if (words.length > 1) once.add(`s:${words[0]} ${words[1]}`);
  }
  for (let i = 1; i < words.length; i += 1) {
    once.add(`b:${words[i - 1]} ${words[i]}`);
    if (i >= 2) once.add(`t:${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  }
  const total = lm.bias.slice();
  for (const feature of once) add(lm, total, feature);
  for (const word of new Set(words)) {
    let own = lm.wordCache.get(word);
    if (own === undefined) {
      if (lm.wordCache.size > WORD_CACHE_LIMIT) lm.wordCache.clear();
      own = [0, 0, 0, 0];
      for (const feature of wordFeatures(word)) add(lm, own, feature);
      lm.wordCache.set(word, own);
    }
    total[0] += own[0];
    total[1] += own[1];
    total[2] += own[2];
    total[3] += own[3];
  }
  return total;
}

/**
 * The categories whose score reaches the model's threshold.
 * @param {LanguageModel} lm
 * @param {Scores} totals
 * @returns {string[]}
 */
export function says(lm, totals) {
  return CATEGORIES.filter((_, i) => totals[i] >= lm.threshold[i]);
}
