// Every word the app says to a person, in their language. Catalogues are JSON files, one per
// area of the app and language: /static/i18n/<lang>/<area>.json, keys "area.name". The language
// is the one chosen on this device, else the first of the browser's languages we have, else
// English; a key missing from a catalogue falls back to English, never to nothing.

/**
 * A text in a catalogue: a string, or its plural forms ({one, other, …}) by Intl.PluralRules.
 * @typedef {string | Record<string, string>} Text
 */

/**
 * One language's texts, by key ("area.name"): all its areas' files merged.
 * @typedef {Record<string, Text>} Catalogue
 */

/**
 * Values for a text's `{name}` placeholders; `count` also chooses a plural form. A node is kept
 * as a node by tParts() (t() writes it as text).
 * @typedef {Record<string, string | number | Node>} Vars
 */

/**
 * Told the language just chosen; the app redraws its screen (awaited when it returns a promise).
 * @typedef {(lang: string) => void | Promise<void>} LanguageListener
 */

export const LANGUAGES = { en: "English", fr: "Français" };
export const DEFAULT_LANGUAGE = "en";
// One catalogue per area; a new area is one more name here and one file per language.
export const AREAS = [
  "common",
  "welcome",
  "hands",
  "join",
  "pairing",
  "notebook",
  "pages",
  "composer",
  "ink",
  "pen",
  "pause",
  "promises",
  "chapters",
  "goodbye",
  "keepsake",
  "gentle",
  "when",
  "problems",
  "trust",
  "push",
  "a11y",
  "devices",
  "intro",
];
const CHOICE_KEY = "unspoken.language";
// Catalogues sit beside the scripts, wherever the app is served from.
const CATALOGUES = new URL("../i18n/", import.meta.url);

let current = DEFAULT_LANGUAGE;
/** @type {Record<string, Catalogue>} */
const catalogues = { [DEFAULT_LANGUAGE]: {} };
/** @type {Set<LanguageListener>} */
const listeners = new Set();

/**
 * The language chosen on this device, or the best match for the browser's languages.
 * @param {string | null} [choice]
 * @param {readonly string[]} [browser]
 * @returns {string}
 */
export function preferredLanguage(
  choice = safeChoice(),
  browser = navigator.languages ?? [navigator.language],
) {
  if (choice && choice in LANGUAGES) return choice;
  for (const tag of browser) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (base in LANGUAGES) return base;
  }
  return DEFAULT_LANGUAGE;
}

function safeChoice() {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

/**
 * @param {string} lang
 * @returns {Promise<Catalogue>}
 */
async function loadCatalogue(lang) {
  const parts = await Promise.all(
    AREAS.map(async (area) => {
      const response = await fetch(new URL(`${lang}/${area}.json`, CATALOGUES));
      if (!response.ok) throw new Error(`catalogue ${lang}/${area} is missing`);
      return response.json();
    }),
  );
  return Object.assign({}, ...parts);
}

/**
 * Load English (the fallback) and the chosen language; call once before drawing anything.
 * @param {string} [lang]
 * @returns {Promise<string>}
 */
export async function startLanguage(lang = preferredLanguage()) {
  if (!Object.keys(catalogues[DEFAULT_LANGUAGE]).length) {
    catalogues[DEFAULT_LANGUAGE] = await loadCatalogue(DEFAULT_LANGUAGE);
  }
  if (!catalogues[lang]) catalogues[lang] = await loadCatalogue(lang);
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

/**
 * Remember a language for this device and show it at once: every listener (the app redraws
 * its current screen) runs, and is awaited, before this resolves.
 * @param {string} lang
 * @returns {Promise<string>}
 */
export async function chooseLanguage(lang) {
  if (!(lang in LANGUAGES)) throw new Error(`no catalogue for ${lang}`);
  try {
    localStorage.setItem(CHOICE_KEY, lang);
  } catch {
    // A private window may refuse storage; the choice then lasts for this page only.
  }
  await startLanguage(lang);
  for (const listener of listeners) await listener(lang);
  return lang;
}

/**
 * Call `listener(lang)` whenever a language is chosen; returns a function that stops it.
 * @param {LanguageListener} listener
 * @returns {() => boolean}
 */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The language shown now ("en", "fr").
 * @returns {string}
 */
export function language() {
  return current;
}

/**
 * The BCP 47 locale for Intl formatters: the chosen language in the browser's own region
 * ("fr-CA" for a Québécois browser, "en-FR" for English chosen on a French one), so clocks
 * and dates read the way this reader expects.
 * @returns {string}
 */
export function locale() {
  const browser = (navigator.languages ?? [navigator.language]).map(String);
  const regional = browser.find((tag) => tag.toLowerCase().split("-")[0] === current);
  if (regional) return regional;
  const region = browser[0]?.split("-")[1];
  const mixed = region && `${current}-${region}`;
  return mixed && Intl.DateTimeFormat.supportedLocalesOf(mixed).length ? mixed : current;
}

/**
 * @param {string} lang
 * @param {string} key
 * @returns {Text | undefined}
 */
function lookup(lang, key) {
  return catalogues[lang]?.[key];
}

/**
 * Whether a text exists for `key` (for keys made at run time, e.g. from a problem type).
 * @param {string} key
 * @returns {boolean}
 */
export function known(key) {
  return lookup(current, key) !== undefined || lookup(DEFAULT_LANGUAGE, key) !== undefined;
}

/**
 * The raw text for `key` (the plural form for vars.count), placeholders still in it.
 * @param {string} key
 * @param {Vars} vars
 * @returns {string}
 */
function template(key, vars) {
  let text = lookup(current, key) ?? lookup(DEFAULT_LANGUAGE, key);
  if (text === undefined) {
    console.warn(`i18n: no text for ${key}`);
    return key;
  }
  if (typeof text === "object") {
    const form = new Intl.PluralRules(locale()).select(Number(vars.count ?? 0));
    text = text[form] ?? text.other;
  }
  return text;
}

/**
 * t("pause.until", {time: "21:30"}) → the text for the current language. A value may be an
 * object of plural forms ({one, other, …}) chosen by vars.count with Intl.PluralRules.
 * @param {string} key
 * @param {Vars} [vars]
 * @returns {string}
 */
export function t(key, vars = {}) {
  return template(key, vars).replace(/\{(\w+)\}/g, (whole, /** @type {string} */ name) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/**
 * tParts("pairing.waiting_lede", {name: strong}) → the text as strings and nodes, for h():
 * a placeholder whose value is a DOM node keeps the node, so a sentence may hold an element
 * (a name in bold) wherever its language puts it.
 * @param {string} key
 * @param {Vars} [vars]
 * @returns {(string | Node)[]}
 */
export function tParts(key, vars = {}) {
  return template(key, vars)
    .split(/\{(\w+)\}/)
    .map((part, i) => {
      if (i % 2 === 0 || !(part in vars)) return i % 2 === 0 ? part : `{${part}}`;
      return vars[part] instanceof Node ? vars[part] : String(vars[part]);
    })
    .filter((part) => part !== "");
}
