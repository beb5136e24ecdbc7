// Hands: the typeface and ink each partner writes with. A profile names them by id; the ids
// travel inside sealed profiles, so an unknown id (from another client) falls back gracefully.
// Their names are read in the reader's language each time they are shown.

import { t } from "./i18n.js";

export const HANDS = [
  {
    id: "garamond",
    get label() { return t("hands.garamond"); },
    get note() { return t("hands.garamond_note"); },
    family: '"EB Garamond", Georgia, serif',
    style: "italic",
    size: "1.3rem",
  },
  {
    id: "dancing",
    get label() { return t("hands.dancing"); },
    get note() { return t("hands.dancing_note"); },
    family: '"Dancing Script", "Segoe Script", cursive',
    style: "normal",
    size: "1.45rem",
  },
  {
    id: "caveat",
    get label() { return t("hands.caveat"); },
    get note() { return t("hands.caveat_note"); },
    family: '"Caveat", "Bradley Hand", cursive',
    style: "normal",
    size: "1.6rem",
  },
  {
    id: "patrick",
    get label() { return t("hands.patrick"); },
    get note() { return t("hands.patrick_note"); },
    family: '"Patrick Hand", "Comic Neue", sans-serif',
    style: "normal",
    size: "1.35rem",
  },
  {
    id: "courier",
    get label() { return t("hands.courier"); },
    get note() { return t("hands.courier_note"); },
    family: '"Courier Prime", "Courier New", monospace',
    style: "normal",
    size: "1.08rem",
  },
];

export const INKS = [
  { id: "midnight", get label() { return t("hands.midnight"); }, color: "#22335e" },
  { id: "iron", get label() { return t("hands.iron"); }, color: "#2b2724" },
  { id: "sepia", get label() { return t("hands.sepia"); }, color: "#6b4423" },
  { id: "bordeaux", get label() { return t("hands.bordeaux"); }, color: "#7a2e3b" },
  { id: "forest", get label() { return t("hands.forest"); }, color: "#2e5339" },
  { id: "violet", get label() { return t("hands.violet"); }, color: "#4a3670" },
];

const INK_PATTERN = /^#[0-9a-f]{6}$/i;

export function findHand(fontId) {
  return HANDS.find((hand) => hand.id === fontId) ?? HANDS[0];
}

/** An ink from a partner's profile, only if it is a plain colour (it is set as a style). */
export function safeInk(ink) {
  return typeof ink === "string" && INK_PATTERN.test(ink) ? ink : INKS[0].color;
}

/** Dress an element in a profile's hand: {font, ink}. */
export function applyHand(element, hand) {
  const face = findHand(hand?.font);
  element.style.fontFamily = face.family;
  element.style.fontStyle = face.style;
  element.style.fontSize = face.size;
  // The ink as a custom property: the stylesheet shows it, lifted for dark paper at night.
  element.style.setProperty("--ink", safeInk(hand?.ink));
  element.dataset.hand = face.id;
}
