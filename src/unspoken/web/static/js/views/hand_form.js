// The shared part of "Begin a notebook" and "Join": your name and your hand (typeface + ink),
// with a preview line written the way your pages will look.

import { h } from "../dom.js";
import { HANDS, INKS, applyHand } from "../hands.js";
import { t } from "../i18n.js";

let formCount = 0;

function handChoice(name, hand, checked) {
  const input = h("input", {
    type: "radio",
    name,
    value: hand.id,
    checked,
    class: "choice__input",
  });
  const sample = h("span", { class: "choice__sample", "data-font": hand.id, text: hand.label });
  return h(
    "label",
    { class: "choice" },
    input,
    h(
      "span",
      { class: "choice__body" },
      sample,
      h("span", { class: "choice__note", text: hand.note }),
    ),
  );
}

function inkChoice(name, ink, checked) {
  const swatch = h("span", { class: "swatch__dot", "aria-hidden": "true" });
  swatch.style.setProperty("--ink", ink.color);
  return h(
    "label",
    { class: "swatch", title: ink.label },
    h("input", { type: "radio", name, value: ink.id, checked, class: "swatch__input" }),
    swatch,
    h("span", { class: "visually-hidden", text: ink.label }),
  );
}

/** Returns {element, value()} where value() is the profile {name, hand: {font, ink}}. */
export function handForm({ hand = HANDS[0].id, ink = INKS[0].id, name = "" } = {}) {
  const id = ++formCount;
  const nameInput = h("input", {
    id: `name-${id}`,
    name: "name",
    type: "text",
    required: true,
    maxlength: "40",
    autocomplete: "given-name",
    autocapitalize: "words",
    spellcheck: "false",
    class: "field__input",
  });
  const handList = h(
    "div",
    { class: "choices" },
    HANDS.map((item) => handChoice(`hand-${id}`, item, item.id === hand)),
  );
  const inkList = h(
    "div",
    { class: "swatches" },
    INKS.map((item) => inkChoice(`ink-${id}`, item, item.id === ink)),
  );
  nameInput.value = name;
  const inkName = h("span", { class: "legend__aside" });
  const preview = h("p", { class: "preview__line" });

  const picked = (list) => list.querySelector("input:checked").value;
  const value = () => ({
    name: nameInput.value.trim(),
    hand: { font: picked(handList), ink: INKS.find((i) => i.id === picked(inkList)).color },
  });
  const update = () => {
    const profile = value();
    applyHand(preview, profile.hand);
    preview.textContent = profile.name
      ? t("hands.preview_named", { name: profile.name })
      : t("hands.preview");
    inkName.textContent = INKS.find((i) => i.id === picked(inkList)).label;
    // Every sample takes the chosen ink, so the choice of hand is seen as it will be written.
    for (const sample of handList.querySelectorAll(".choice__sample")) {
      applyHand(sample, { font: sample.dataset.font, ink: profile.hand.ink });
    }
  };

  const element = h(
    "div",
    { class: "hand-form", oninput: update, onchange: update },
    h(
      "div",
      { class: "field" },
      h("label", { for: nameInput.id, class: "field__label", text: t("hands.name") }),
      nameInput,
      h("p", { class: "field__hint", text: t("hands.name_hint") }),
    ),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: t("hands.hand") }),
      handList,
    ),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend" }, t("hands.ink"), " ", inkName),
      inkList,
    ),
    h("div", { class: "preview", "aria-hidden": "true" }, preview),
  );
  update();
  return { element, value, focus: () => nameInput.focus() };
}
