// Promises and agreements: the sheets that make them (the page that lists them is
// views/commitments.js).

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { newId } from "../protocol/encoding.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";

/** A sheet with one text to seal: a promise, or an agreement to propose. */
function textSheet({ title, intro, label, placeholder, action, busy, send, onDone }) {
  const error = errorLine();
  const words = h("textarea", { id: "commitment", class: "field__input", rows: "3", maxlength: "4000", placeholder });
  const go = h("button", { type: "submit", class: "button button--primary", text: action });
  const form = h(
    "form",
    { class: "commitment-sheet" },
    h("p", { class: "quiet", text: intro }),
    h("div", { class: "field" }, h("label", { for: words.id, class: "field__label", text: label }), words),
    error,
  );
  const { close } = openDialog({ title }, form);
  form.append(h("div", { class: "actions" }, go, cancelButton(close)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = words.value.trim();
    if (!text) return showError(error, new Error(t("promises.write_first")));
    try {
      await working(go, busy, () => send(text));
      close();
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  });
}

export function openPromiseSheet({ session, partnerName, onDone }) {
  textSheet({
    title: t("promises.promise_title"),
    intro: t("promises.promise_intro", { name: partnerName }),
    label: t("promises.promise_label", { name: partnerName }),
    placeholder: t("promises.promise_placeholder"),
    action: t("promises.promise_action"),
    busy: t("common.sealing"),
    send: async (text) => {
      const item = await session.sealItem("promise", { text }, { itemId: newId() });
      return session.api.promise(item);
    },
    onDone,
  });
}

export function openAgreeSheet({ session, partnerName, onDone }) {
  textSheet({
    title: t("promises.agree_title"),
    intro: t("promises.agree_intro", { name: partnerName }),
    label: t("promises.agree_label"),
    placeholder: t("promises.agree_placeholder"),
    action: t("promises.agree_action"),
    busy: t("promises.signing"),
    send: async (text) => session.api.propose(await session.sealItem("agreement", { text })),
    onDone,
  });
}
