// Chapters: closing one gently (it becomes read-only), beginning the next from a blank page or
// a guided template, and the mirror-before-reply card where the writer answers a restatement.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { TEMPLATES } from "../templates.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";

export function openCloseSheet({ session, onDone }) {
  const error = errorLine();
  const close = h("button", { type: "button", class: "button button--primary", text: t("chapters.close") });
  const dialog = openDialog(
    { title: t("chapters.close_title") },
    h("p", { class: "quiet", text: t("chapters.close_text") }),
    error,
  );
  dialog.dialog.firstChild.append(h("div", { class: "actions" }, close, cancelButton(dialog.close)));
  close.addEventListener("click", async () => {
    try {
      await working(close, t("chapters.closing"), async () => {
        session.notebook = await session.api.closeChapter(session.shown().chapter);
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
  const title = h("input", { id: "chapter-title", class: "field__input", maxlength: "200", autocomplete: "off", placeholder: t("chapters.title_placeholder") });
  const option = (value, text, note, checked = false) =>
    h(
      "label",
      { class: "choice choice--small" },
      h("input", { type: "radio", name: "template", value, class: "choice__input", checked }),
      h("span", { class: "choice__body" }, h("span", { text }), h("span", { class: "choice__note", text: note })),
    );
  const mirror = h("input", { type: "checkbox", id: "chapter-mirror", class: "check__input" });
  const begin = h("button", { type: "submit", class: "button button--primary", text: t("chapters.begin") });
  const form = h(
    "form",
    { class: "chapter-sheet" },
    h("p", {
      class: "quiet",
      text: session.shown().chapter_state === "open"
        ? t("chapters.closes_current")
        : t("chapters.you_hold"),
    }),
    h("div", { class: "field" }, h("label", { for: title.id, class: "field__label", text: t("chapters.title_label") }), title),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: t("chapters.begin_from") }),
      h(
        "div",
        { class: "choices" },
        option("", t("chapters.blank"), t("chapters.blank_note"), true),
        ...Object.entries(TEMPLATES).map(([id, template]) => option(id, template.label, template.note)),
      ),
    ),
    h(
      "label",
      { class: "check", for: mirror.id },
      mirror,
      h(
        "span",
        {},
        h("span", { class: "check__title", text: t("chapters.mirror") }),
        h("span", {
          class: "choice__note",
          text: t("chapters.mirror_note"),
        }),
      ),
    ),
    error,
  );
  const { close } = openDialog({ title: t("chapters.new_title") }, form);
  form.append(h("div", { class: "actions" }, begin, cancelButton(close)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const template = form.querySelector("input[name=template]:checked").value || null;
    const n = session.shown().chapter + 1;
    const meta = { title: title.value.trim() || t("chapters.default_title", { n }), template, mirror: mirror.checked };
    try {
      await working(begin, t("common.sealing"), async () => {
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
          await working(button, t("common.telling_them"), async () => {
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
    { class: "card card--mirror", "aria-label": t("chapters.mirror_label") },
    h("p", { class: "card__title", text: t("chapters.said_back", { name: partnerName }) }),
    restatement ? quote(restatement, hand) : null,
    h("p", { class: "quiet", text: t("chapters.got_it_question") }),
    h("div", { class: "actions" }, answer("got-it", t("chapters.got_it"), true), answer("more", t("chapters.more"), false)),
    error,
  );
}

function quote(text, hand) {
  const words = h("q", { class: "card__quote", text });
  applyHand(words, hand);
  return h("p", { class: "card__words" }, words);
}
