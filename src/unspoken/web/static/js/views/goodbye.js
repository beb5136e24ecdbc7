// Goodbye: leaving is asked twice, then the server is told, this device forgets the notebook's
// keys, and a calm last screen says what happened. The one who stays is told, and can read on.

import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { forgetNotebook } from "../store.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { sheet } from "./frame.js";
import { longDate } from "./when.js";

/**
 * Leaving, asked twice. The second asking offers first to keep a copy of the whole notebook
 * (`keep.print(onClose)` opens the keepsake, `keep.save()` the sealed file's sheet), never in the
 * way of leaving; after the keepsake is put away, the question is asked again where it was.
 */
export function openLeaveSheet(options) {
  const { session, partnerName, keep, beforeLeaving, afterFailing, second = false } = options;
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

  const forGood = () => {
    // The second asking: plain about what cannot be undone, and what can still be kept.
    body.querySelector(".dialog__title").textContent = t("goodbye.for_good_title");
    first.replaceChildren(
      h("p", { class: "lede", text: t("goodbye.cannot_undo") }),
      h("p", { class: "quiet", text: t("goodbye.nothing_taken") }),
      keep ? keepOffer(keep, dialog, () => openLeaveSheet({ ...options, second: true })) : null,
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
  };
  onward.addEventListener("click", forGood);
  if (second) forGood();
}

/** "Keep a copy before you go": the whole notebook printed, or sealed in a file. */
function keepOffer(keep, dialog, askAgain) {
  const print = () => {
    // The keepsake covers the app, and a dialog would stay above it: put the question away
    // first, and ask it again when the keepsake is put away.
    dialog.dialog.addEventListener("close", () => keep.print(askAgain), { once: true });
    dialog.close();
  };
  return h(
    "div",
    { class: "leave__keep", role: "group", "aria-labelledby": "leave-keep" },
    h("p", { id: "leave-keep", class: "leave__keep-title", text: t("goodbye.keep_title") }),
    h("p", { class: "quiet", text: t("goodbye.keep_text") }),
    h(
      "div",
      { class: "leave__keep-actions" },
      h("button", { type: "button", class: "button button--quiet", text: t("notebook.print_all"), onclick: print }),
      h("button", { type: "button", class: "button button--quiet", text: t("goodbye.keep_file"), onclick: () => keep.save() }),
    ),
  );
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
