// Every word the app says to a person, in their language. Catalogues are JSON files, one per
// area of the app and language: /static/i18n/<lang>/<area>.json, keys "area.name". The language
// is the one chosen on this device, else the first of the browser's languages we have, else
// English; a key missing from a catalogue falls back to English, never to nothing.

export const LANGUAGES = { en: "English", fr: "Français" };
export const DEFAULT_LANGUAGE = "en";
// One catalogue per area; a new area is one more name here and one file per language.
export const AREAS = ["common", "devices"];
const CHOICE_KEY = "unspoken.language";

let current = DEFAULT_LANGUAGE;
const catalogues = { [DEFAULT_LANGUAGE]: {} };

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
      const response = await fetch(`/static/i18n/${lang}/${area}.json`);
      if (!response.ok) throw new Error(`catalogue ${lang}/${area} is missing`);
      return response.json();
    }),
  );
  return Object.assign({}, ...parts);
}

/** Load English (the fallback) and the chosen language; call once before drawing anything. */
export async function startLanguage(lang = preferredLanguage()) {
  catalogues[DEFAULT_LANGUAGE] = await loadCatalogue(DEFAULT_LANGUAGE);
  if (lang !== DEFAULT_LANGUAGE) catalogues[lang] = await loadCatalogue(lang);
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

/** Remember a language for this device; the caller redraws (or reloads) to show it. */
export async function chooseLanguage(lang) {
  if (!(lang in LANGUAGES)) throw new Error(`no catalogue for ${lang}`);
  try {
    localStorage.setItem(CHOICE_KEY, lang);
  } catch {
    // A private window may refuse storage; the choice then lasts for this page only.
  }
  return startLanguage(lang);
}

export function language() {
  return current;
}

/** The BCP 47 locale for Intl formatters: the chosen language in the browser's own region. */
export function locale() {
  const browser = navigator.languages ?? [navigator.language];
  const regional = browser.find((tag) => String(tag).toLowerCase().split("-")[0] === current);
  return regional ?? current;
}

function lookup(lang, key) {
  return catalogues[lang]?.[key];
}

/**
 * t("pause.until", {time: "21:30"}) → the text for the current language. A value may be an
 * object of plural forms ({one, other, …}) chosen by vars.count with Intl.PluralRules.
 */
export function t(key, vars = {}) {
  let text = lookup(current, key) ?? lookup(DEFAULT_LANGUAGE, key);
  if (text === undefined) {
    console.warn(`i18n: no text for ${key}`);
    return key;
  }
  if (typeof text === "object") {
    const form = new Intl.PluralRules(locale()).select(Number(vars.count ?? 0));
    text = text[form] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}
