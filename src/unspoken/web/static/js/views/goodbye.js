// Goodbye: leaving is asked twice, then the server is told, this device forgets the notebook's
// keys, and a calm last screen says what happened. The one who stays is told, and can read on.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { forgetNotebook } from "../store.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { sheet } from "./frame.js";
import { longDate } from "./when.js";

export function openLeaveSheet({ session, partnerName, beforeLeaving, afterFailing }) {
  const error = errorLine();
  const first = h("div", { class: "leave__step" },
    h("p", { class: "lede", text: t("goodbye.will_be_told", { name: partnerName }) }),
    h("p", { class: "quiet", text: t("goodbye.forget", { name: partnerName }) }),
  );
  const dialog = openDialog({ title: t("goodbye.title") }, first, error);
  const body = dialog.dialog.firstChild;
  const onward = h("button", { type: "button", class: "button button--alarm", text: t("goodbye.yes") });
  const stay = cancelButton(dialog.close, t("goodbye.stay"));
  const actions = h("div", { class: "actions" }, onward, stay);
  body.append(actions);

  onward.addEventListener("click", () => {
    // The second asking: plain about what cannot be undone.
    body.querySelector(".dialog__title").textContent = t("goodbye.for_good_title");
    first.replaceChildren(
      h("p", { class: "lede", text: t("goodbye.cannot_undo") }),
      h("p", { class: "quiet", text: t("goodbye.nothing_taken") }),
    );
    const leave = h("button", { type: "button", class: "button button--alarm", text: t("goodbye.leave_for_good") });
    actions.replaceChildren(leave, cancelButton(dialog.close, t("goodbye.stay")));
    leave.focus();
    leave.addEventListener("click", async () => {
      beforeLeaving();
      try {
        await working(leave, t("goodbye.leaving"), () => session.api.leave());
      } catch (failure) {
        showError(error, failure);
        afterFailing();
        return;
      }
      await forgetNotebook(session.id);
      dialog.close();
      goodbyeScreen(partnerName);
    });
  });
}

export function goodbyeScreen(partnerName) {
  show(
    sheet(
      { className: "sheet--goodbye", label: t("goodbye.label") },
      h("h1", { text: t("goodbye.label") }),
      h("p", { class: "lede", text: t("goodbye.you_left", { name: partnerName }) }),
      h("p", { class: "quiet", text: t("goodbye.keys_gone") }),
      h("div", { class: "actions" }, h("a", { href: "/", class: "button", text: t("common.back_to_start") })),
    ),
  );
}

/** For the one who stays: read-only from now on, and when the server will erase it. */
export function leftBanner({ name, eraseAt }) {
  return h(
    "section",
    { class: "card card--left", role: "status", "aria-label": t("goodbye.label") },
    h("p", { class: "card__title", text: t("goodbye.partner_left", { name }) }),
    h("p", {
      class: "quiet",
      text: eraseAt
        ? `${t("goodbye.read_only")} ${t("goodbye.erase_on", { date: longDate(eraseAt) })}`
        : t("goodbye.read_only"),
    }),
  );
}
