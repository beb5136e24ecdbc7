// A modal sheet rising from the foot of the screen (a <dialog>): one question at a time, easy to
// leave. Closing it — by its button, Escape, or a tap outside — removes it from the page.

import { h } from "../dom.js";
import { t } from "../i18n.js";

/**
 * Open a dialog titled `title` holding `children`; returns {dialog, close}. The caller adds
 * its own buttons; `close()` ends it. Focus returns to whatever opened it.
 */
export function openDialog({ title, label = title, className = "" }, ...children) {
  const opener = document.activeElement;
  // The content sits in an inner box, so a click on the dialog itself is a click outside it.
  const dialog = h(
    "dialog",
    { class: `dialog ${className}`.trim(), "aria-label": label },
    h("div", { class: "dialog__body" }, h("h2", { class: "dialog__title", text: title }), ...children),
  );
  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    // What opened it may have gone with the change it made: the screen's heading takes focus.
    else document.querySelector("#app h1")?.focus();
  });
  // A tap on the backdrop (the dialog element itself, outside its content) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}

/** A quiet "Not now" button that closes the dialog. */
export function cancelButton(close, text = t("common.not_now")) {
  return h("button", { type: "button", class: "button", text, onclick: close });
}
