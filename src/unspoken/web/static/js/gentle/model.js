// The gentle check's learned half in the browser: the same data file and the same arithmetic
// as src/unspoken/gentle/model.py. loadModel() fetches the model, never the text.

import { features } from "./features.js";

const MODEL_URL = new URL("../../gentle/model.json.gz", import.meta.url);
const FORMAT = 1;
export const CATEGORIES = ["criticism", "contempt", "defensiveness", "stonewalling"];

/** Fetch the model (static/gentle/model.json.gz) and make it ready to score. */
export async function loadModel(url = MODEL_URL) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The gentle check's model did not load (${response.status}).`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  // A server or proxy may already have undone the gzip (Content-Encoding): read either way.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return parseModel(JSON.parse(new TextDecoder().decode(bytes)));
}

/** The parsed JSON → {languages: Map(name → language model)}. */
export function parseModel(data) {
  if (data?.compiled === true) return data;
  if (data.format !== FORMAT || data.categories.join() !== CATEGORIES.join()) {
    throw new Error(`The gentle check's model file has an unknown format (${data?.format}).`);
  }
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

export function forLanguage(model, language) {
  return model.languages.get(String(language).split("-")[0].toLowerCase()) ?? null;
}

/** One score per category for a set of features. */
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

export function scoreText(lm, folded, extra = []) {
  const found = features(folded);
  for (const feature of extra) found.add(feature);
  return scores(lm, found);
}

export function says(lm, totals) {
  return CATEGORIES.filter((_, i) => totals[i] >= lm.threshold[i]);
}
