// The language switch: each language named in itself, the current one pressed. A choice is kept
// on this device and shown at once — the app redraws the screen it is on, no reload.

import { h } from "../dom.js";
import { LANGUAGES, chooseLanguage, language, t } from "../i18n.js";

export function languageSwitch({ className = "" } = {}) {
  const choice = ([code, name]) =>
    h("button", {
      type: "button",
      class: "languages__choice",
      lang: code,
      "aria-pressed": String(code === language()),
      text: name,
      onclick: () => switchTo(code),
    });
  return h(
    "nav",
    { class: `languages ${className}`.trim(), "aria-label": t("common.language") },
    Object.entries(LANGUAGES).map(choice),
  );
}

async function switchTo(code) {
  if (code === language()) return;
  await chooseLanguage(code);
  // The screen was drawn anew: keep the reader's place on the switch they just used.
  document.querySelector(`.languages__choice[lang="${code}"]`)?.focus();
}
