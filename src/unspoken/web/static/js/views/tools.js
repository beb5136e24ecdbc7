// What else this partner can do right now. Asking for time is always in reach, in the bar at
// the top of the screen; near the composer, the conversation's other acts (a promise, an
// agreement, the chapter, how you write in it); apart and quieter, the notebook's housekeeping
// (printing, keeping, notifications, devices, language, leaving). Only what the rules allow at
// this moment is offered, so nothing leads to a refusal.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { languageSwitch } from "./language.js";
import { modeSwitch } from "./pen.js";

export function toolButton(text, onclick, primary = false, extra = "") {
  const kind = primary ? "button button--primary" : "button button--quiet";
  return h("button", { type: "button", class: `${kind} ${extra}`.trim(), text, onclick });
}

/** "I need time", for the bar: offered unless a pause is under way (its card renews it). */
export function timeTool({ pause, left }, on) {
  if (left || pause) return [];
  return [toolButton(t("notebook.need_time"), on.askTime, false, "bar__need-time")];
}

/** The conversation's other acts for a moment ({left, silenced, closed, myPen}). */
export function conversationTools({ left, silenced, closed, myPen }, on) {
  if (left) return [];
  const items = [];
  if (!silenced) {
    items.push(toolButton(t("notebook.promise"), on.promise));
    items.push(toolButton(t("notebook.agree"), on.agree));
    if (!closed && myPen) items.push(toolButton(t("notebook.close_chapter"), on.closeChapter));
    if (!closed && myPen) items.push(toolButton(t("notebook.new_chapter"), on.newChapter));
  }
  const parts = items.length ? [h("div", { class: "tools__row" }, items)] : [];
  if (!closed && !silenced) {
    parts.push(modeSwitch({ session: on.session, mayOpen: on.mayOpen, onChanged: on.changed }));
  }
  return parts;
}

/** The notebook's housekeeping, always offered: even after a goodbye, the pages can be kept. */
export function housekeeping(on, headingId) {
  return [
    h("h2", { id: headingId, class: "tools__title", text: t("notebook.menu") }),
    h(
      "div",
      { class: "tools__row" },
      toolButton(t("notebook.print"), on.printChapter),
      toolButton(t("notebook.print_all"), on.printAll),
      toolButton(t("notebook.keep_copy"), on.keepCopy),
      toolButton(t("push.tool"), on.notifications),
      toolButton(t("devices.tool"), on.devices),
    ),
    on.seenChoice ? on.seenChoice() : null,
    languageSwitch({ className: "tools__languages" }),
    h("div", { class: "tools__row tools__row--leave" }, toolButton(t("notebook.leave"), on.leave, false, "tools__leave")),
  ].filter(Boolean);
}
