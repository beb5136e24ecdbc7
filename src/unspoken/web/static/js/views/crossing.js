// Crossing out a line of one's own, as on paper: asked once, plainly; the line stays in the
// notebook for both partners, struck through (docs/protocol.md, act `entry.crossed`).

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";

/**
 * The quiet "Cross out" under a line of one's own; `onCrossOut()` acts once it is confirmed.
 * `line` is the line as the page shows it: the question shows it again, since on a wide screen
 * the dialog sits over it.
 */
export function crossOutButton(onCrossOut, line) {
  return h("button", {
    type: "button",
    class: "entry__cross",
    text: t("pages.cross_out"),
    onclick: () => askToCrossOut(onCrossOut, line),
  });
}

function askToCrossOut(onCrossOut, line) {
  const error = errorLine();
  const quote = h("blockquote", { class: "crossing__line" }, line.cloneNode(true));
  const lede = h("p", { class: "lede", text: t("pages.cross_out_lede") });
  const { dialog, close } = openDialog({ title: t("pages.cross_out_title") }, quote, lede, error);
  const yes = h("button", { type: "button", class: "button", text: t("pages.cross_out_yes") });
  const keep = cancelButton(close, t("pages.cross_out_keep"));
  dialog.firstChild.append(h("div", { class: "actions actions--equal" }, yes, keep));
  yes.addEventListener("click", async () => {
    try {
      await working(yes, t("pages.crossing_out"), onCrossOut);
    } catch (failure) {
      showError(error, failure);
      return;
    }
    close();
  });
  keep.focus();
}
