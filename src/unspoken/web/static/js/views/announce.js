// What a screen reader hears of the notebook's rules: one polite live region that says each
// change of state once (the pen moved, a pause began or ended, the chapter closed), without
// taking the reader's place on the page. The same words name the foot of the page.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { moment } from "./when.js";

/** {element, say(text)}: say() speaks only when the words change. */
export function announcer() {
  const element = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  let last = "";
  return {
    element,
    say(text) {
      if (!text || text === last) return;
      last = text;
      element.textContent = text;
    },
  };
}

/**
 * The state of the rules in one sentence for this reader: who holds the pen (or that the page
 * is open, the chapter closed, the partner gone), then any pause until when on their own clock.
 */
export function stateSentence({ nb, pause, left, closed, myPen, holder, pauser, partnerName, me }) {
  let pen;
  if (left) pen = t("a11y.left", { name: partnerName });
  else if (closed) pen = t("a11y.closed");
  else if (nb.mode === "open") pen = t("a11y.page_open");
  else pen = myPen ? t("a11y.pen_mine") : t("a11y.pen_theirs", { name: holder });
  if (!pause || left) return pen;
  const until = moment(pause.until);
  const paused = pause.by === me ? t("a11y.paused_mine", { until }) : t("a11y.paused_theirs", { name: pauser, until });
  return `${pen} ${paused}`;
}
