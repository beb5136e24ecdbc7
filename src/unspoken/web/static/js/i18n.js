// Every word the app says to a person, in their language. Catalogues are JSON files, one per
// area of the app and language: /static/i18n/<lang>/<area>.json, keys "area.name". The language
// is the one chosen on this device, else the first of the browser's languages we have, else
// English; a key missing from a catalogue falls back to English, never to nothing.

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
];
const CHOICE_KEY = "unspoken.language";
// Catalogues sit beside the scripts, wherever the app is served from.
const CATALOGUES = new URL("../i18n/", import.meta.url);

let current = DEFAULT_LANGUAGE;
const catalogues = { [DEFAULT_LANGUAGE]: {} };
const listeners = new Set();

/** The language chosen on this device, or the best match for the browser's languages. */
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

/** Load English (the fallback) and the chosen language; call once before drawing anything. */
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

/** Call `listener(lang)` whenever a language is chosen; returns a function that stops it. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function language() {
  return current;
}

/**
 * The BCP 47 locale for Intl formatters: the chosen language in the browser's own region
 * ("fr-CA" for a Québécois browser, "en-FR" for English chosen on a French one), so clocks
 * and dates read the way this reader expects.
 */
export function locale() {
  const browser = (navigator.languages ?? [navigator.language]).map(String);
  const regional = browser.find((tag) => tag.toLowerCase().split("-")[0] === current);
  if (regional) return regional;
  const region = browser[0]?.split("-")[1];
  const mixed = region && `${current}-${region}`;
  return mixed && Intl.DateTimeFormat.supportedLocalesOf(mixed).length ? mixed : current;
}

function lookup(lang, key) {
  return catalogues[lang]?.[key];
}

/** Whether a text exists for `key` (for keys made at run time, e.g. from a problem type). */
export function known(key) {
  return lookup(current, key) !== undefined || lookup(DEFAULT_LANGUAGE, key) !== undefined;
}

/** The raw text for `key` (the plural form for vars.count), placeholders still in it. */
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
 */
export function t(key, vars = {}) {
  return template(key, vars).replace(/\{(\w+)\}/g, (whole, name) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/**
 * tParts("pairing.waiting_lede", {name: strong}) → the text as strings and nodes, for h():
 * a placeholder whose value is a DOM node keeps the node, so a sentence may hold an element
 * (a name in bold) wherever its language puts it.
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
