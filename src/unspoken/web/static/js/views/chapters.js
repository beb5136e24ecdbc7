// Chapters: closing one gently (it becomes read-only), beginning the next from a blank page or
// a guided template, and the mirror-before-reply card where the writer answers a restatement.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { TEMPLATES } from "../templates.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";

export function openCloseSheet({ session, onDone }) {
  const error = errorLine();
  const close = h("button", { type: "button", class: "button button--primary", text: "Close this chapter" });
  const dialog = openDialog(
    { title: "Close this chapter?" },
    h("p", {
      class: "quiet",
      text: "It stays readable for both of you, but nothing more can be written in it. You can begin a new chapter whenever you like.",
    }),
    error,
  );
  dialog.dialog.firstChild.append(h("div", { class: "actions" }, close, cancelButton(dialog.close)));
  close.addEventListener("click", async () => {
    try {
      await working(close, "Closing…", async () => {
        session.notebook = await session.api.closeChapter(session.notebook.chapter);
      });
      dialog.close();
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  });
}

export function openNewChapterSheet({ session, onDone }) {
  const error = errorLine();
  const title = h("input", { id: "chapter-title", class: "field__input", maxlength: "200", autocomplete: "off", placeholder: "After the bar" });
  const option = (value, text, note, checked = false) =>
    h(
      "label",
      { class: "choice choice--small" },
      h("input", { type: "radio", name: "template", value, class: "choice__input", checked }),
      h("span", { class: "choice__body" }, h("span", { text }), h("span", { class: "choice__note", text: note })),
    );
  const mirror = h("input", { type: "checkbox", id: "chapter-mirror", class: "check__input" });
  const begin = h("button", { type: "submit", class: "button button--primary", text: "Begin the chapter" });
  const form = h(
    "form",
    { class: "chapter-sheet" },
    h("p", {
      class: "quiet",
      text: session.notebook.chapter_state === "open"
        ? "This closes the chapter you are in; it stays readable. You hold the pen in the new one."
        : "You hold the pen in the new chapter.",
    }),
    h("div", { class: "field" }, h("label", { for: title.id, class: "field__label", text: "A title" }), title),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: "Begin from" }),
      h(
        "div",
        { class: "choices" },
        option("", "A blank page", "Write as you like", true),
        ...Object.entries(TEMPLATES).map(([id, t]) => option(id, t.label, t.note)),
      ),
    ),
    h(
      "label",
      { class: "check", for: mirror.id },
      mirror,
      h(
        "span",
        {},
        h("span", { class: "check__title", text: "Mirror before reply" }),
        h("span", {
          class: "choice__note",
          text: `Before writing back, each of you first says what you understood of the other’s words, and the writer answers “you got it” or “there’s more”.`,
        }),
      ),
    ),
    error,
  );
  const { close } = openDialog({ title: "Begin a new chapter" }, form);
  form.append(h("div", { class: "actions" }, begin, cancelButton(close)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const template = form.querySelector("input[name=template]:checked").value || null;
    const n = session.notebook.chapter + 1;
    const meta = { title: title.value.trim() || `Chapter ${n}`, template, mirror: mirror.checked };
    try {
      await working(begin, "Sealing…", async () => {
        const sealed = await session.sealItem("chapter", meta, { ref: String(n) });
        session.notebook = await session.api.newChapter({ n, mode: "turns", mirror: meta.mirror, meta: sealed });
      });
      close();
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  });
}

/** For the writer whose words were restated: did they get it? */
export function mirrorCard({ session, partnerName, restatement, hand, onDone }) {
  const error = errorLine();
  const answer = (value, text, primary) => {
    const button = h("button", {
      type: "button",
      class: primary ? "button button--primary" : "button",
      text,
      onclick: async () => {
        try {
          await working(button, "Telling them…", async () => {
            session.notebook = await session.api.answerMirror(value);
          });
          await onDone();
        } catch (failure) {
          showError(error, failure);
        }
      },
    });
    return button;
  };
  return h(
    "section",
    { class: "card card--mirror", "aria-label": "Mirror" },
    h("p", { class: "card__title", text: `${partnerName} said back what they understood` }),
    restatement ? quote(restatement, hand) : null,
    h("p", { class: "quiet", text: "Did they get it?" }),
    h("div", { class: "actions" }, answer("got-it", "You got it", true), answer("more", "There’s more", false)),
    error,
  );
}

function quote(text, hand) {
  const words = h("q", { class: "card__quote", text });
  applyHand(words, hand);
  return h("p", { class: "card__words" }, words);
}
