// A first visit: three short cards at the top of the notebook — one pen, asking for time, and
// nobody else can read it — each saying where that lives on the screen. Skippable at any card;
// once skipped or read to the end, this device does not show them again.

import { h } from "../dom.js";
import { t } from "../i18n.js";

const SEEN = "unspoken.intro";
// Each card: its title, what it says, and where on the screen that lives.
const CARDS = [
  ["intro.pen_title", "intro.pen_text", "intro.pen_where"],
  ["intro.time_title", "intro.time_text", "intro.time_where"],
  ["intro.sealed_title", "intro.sealed_text", "intro.sealed_where"],
];

function seen() {
  try {
    return localStorage.getItem(SEEN) === "seen";
  } catch {
    return false;
  }
}

function remember() {
  try {
    localStorage.setItem(SEEN, "seen");
  } catch {
    // Private browsing may refuse storage: the cards then come back with the next visit.
  }
}

/**
 * The cards, or null once this device has seen them. `onDone(hadFocus)` hears when they are
 * put away, and whether the focus was in them, so the screen can move it on.
 */
export function introCards({ partnerName, onDone = () => {} }) {
  if (seen()) return null;
  let index = 0;
  const title = h("h2", { class: "intro__title", id: "intro-title", tabindex: "-1" });
  const text = h("p", { class: "intro__text" });
  const where = h("p", { class: "intro__where quiet" });
  const count = h("p", { class: "intro__count quiet" });
  const next = h("button", { type: "button", class: "button button--primary" });
  const skip = h("button", { type: "button", class: "button button--quiet", text: t("intro.skip") });
  const element = h(
    "section",
    { class: "intro", "aria-labelledby": "intro-title", "aria-roledescription": t("intro.role") },
    count,
    title,
    text,
    where,
    h("div", { class: "actions" }, next, skip),
  );

  const draw = () => {
    const [titleKey, textKey, whereKey] = CARDS[index];
    count.textContent = t("intro.count", { n: index + 1, total: CARDS.length });
    title.textContent = t(titleKey);
    text.textContent = t(textKey, { name: partnerName });
    where.textContent = t(whereKey, { name: partnerName });
    const last = index === CARDS.length - 1;
    next.textContent = last ? t("intro.done") : t("intro.next");
    skip.hidden = last;
  };

  const close = () => {
    const hadFocus = element.contains(document.activeElement);
    remember();
    element.remove();
    onDone(hadFocus);
  };
  next.addEventListener("click", () => {
    if (index === CARDS.length - 1) return close();
    index += 1;
    draw();
    title.focus();
  });
  skip.addEventListener("click", close);
  draw();
  return element;
}
