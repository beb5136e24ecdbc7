// The quiet row at the end of the page: what else this partner can do right now. Only what the
// rules allow at this moment is offered, so nothing here leads to a refusal.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { languageSwitch } from "./language.js";
import { modeSwitch } from "./pen.js";

export function toolButton(text, onclick, primary = false, extra = "") {
  const kind = primary ? "button button--primary" : "button button--quiet";
  return h("button", { type: "button", class: `${kind} ${extra}`.trim(), text, onclick });
}

/** The tools for a moment ({pause, left, silenced, closed, myPen}); `on` holds the actions. */
export function toolbox({ pause, left, silenced, closed, myPen }, on) {
  const items = [];
  if (!left) {
    if (!pause) items.push(toolButton(t("notebook.need_time"), on.askTime));
    if (!silenced) {
      items.push(toolButton(t("notebook.promise"), on.promise));
      items.push(toolButton(t("notebook.agree"), on.agree));
      if (!closed && myPen) items.push(toolButton(t("notebook.close_chapter"), on.closeChapter));
      if (!closed && myPen) items.push(toolButton(t("notebook.new_chapter"), on.newChapter));
    }
  }
  // Keeping is always allowed, even after a goodbye: the one who stays can take the pages along.
  items.push(toolButton(t("notebook.print"), on.printChapter));
  items.push(toolButton(t("notebook.keep_copy"), on.keepCopy));
  items.push(toolButton(t("push.tool"), on.notifications));
  items.push(toolButton(t("devices.tool"), on.devices));
  items.push(toolButton(t("notebook.leave"), on.leave, false, "tools__leave"));
  const parts = [h("div", { class: "tools__row" }, items), languageSwitch({ className: "tools__languages" })];
  if (!left && !closed && !silenced) {
    parts.unshift(modeSwitch({ session: on.session, mayOpen: on.mayOpen, onChanged: on.changed }));
  }
  return parts;
}
