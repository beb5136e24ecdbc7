// The gentle check's learned half in the browser: the same data file and the same arithmetic
// as src/unspoken/gentle/model.py. loadModel() fetches the model, never the text.

import { features } from "./features.js";

/**
 * One number per category, in the order of CATEGORIES.
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
 */

/**
 * The model as parseModel() gives it.
 * @typedef {object} Model
 * @property {true} compiled
 * @property {Map<string, LanguageModel>} languages
 */

const MODEL_URL = new URL("../../gentle/model.json.gz", import.meta.url);
const FORMAT = 1;
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
  if (data.format !== FORMAT || data.categories.join() !== CATEGORIES.join()) {
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

/**
 * One score per category for a set of features.
 * @param {LanguageModel} lm
 * @param {Iterable<string>} found
 * @returns {Scores}
 */
export function scores(lm, found) {
  const total = lm.bias.slice();
  for (const feature of found) {
    const w = lm.weights.get(feature);
    if (w !== undefined) {
      total[0] += w[0];
      total[1] += w[1];
      total[2] += w[2];
      total[3] += w[3];
    }
  }
  return total;
}

/**
 * The scores of a folded text, with some features found elsewhere (the rules' findings).
 * @param {LanguageModel} lm
 * @param {string} folded
 * @param {Iterable<string>} [extra]
 * @returns {Scores}
 */
export function scoreText(lm, folded, extra = []) {
  const found = features(folded);
  for (const feature of extra) found.add(feature);
  return scores(lm, found);
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
