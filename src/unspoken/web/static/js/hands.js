// Hands: the typeface and ink each partner writes with. A profile names them by id; the ids
// travel inside sealed profiles, so an unknown id (from another client) falls back gracefully.

export const HANDS = [
  {
    id: "garamond",
    label: "Elegant",
    note: "precise, upright, bookish",
    family: '"EB Garamond", Georgia, serif',
    style: "italic",
    size: "1.3rem",
  },
  {
    id: "dancing",
    label: "Delicate script",
    note: "flowing, like a calligrapher",
    family: '"Dancing Script", "Segoe Script", cursive',
    style: "normal",
    size: "1.45rem",
  },
  {
    id: "caveat",
    label: "Quick hand",
    note: "loose, warm, a little hurried",
    family: '"Caveat", "Bradley Hand", cursive',
    style: "normal",
    size: "1.6rem",
  },
  {
    id: "patrick",
    label: "Round and steady",
    note: "careful print, easy to read",
    family: '"Patrick Hand", "Comic Neue", sans-serif',
    style: "normal",
    size: "1.35rem",
  },
  {
    id: "courier",
    label: "Typewriter",
    note: "plain, even, unhurried",
    family: '"Courier Prime", "Courier New", monospace',
    style: "normal",
    size: "1.08rem",
  },
];

export const INKS = [
  { id: "midnight", label: "Midnight blue", color: "#22335e" },
  { id: "iron", label: "Iron gall", color: "#2b2724" },
  { id: "sepia", label: "Sepia", color: "#6b4423" },
  { id: "bordeaux", label: "Bordeaux", color: "#7a2e3b" },
  { id: "forest", label: "Forest", color: "#2e5339" },
  { id: "violet", label: "Violet", color: "#4a3670" },
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
