// The keepsake page of a chapter, or of the whole notebook: its pages in both hands, with their
// dates, and the promises and agreements made in it, laid out like the pages of a bound notebook
// for printing (print CSS with @page in keeping.css). It covers the app while open; the browser
// prints only it. The whole notebook is every chapter in order, each under its own heading.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { Pages } from "./pages.js";
import { longDate } from "./when.js";
import { KIND, is } from "../protocol/records.js";

/**
 * Open the keepsake of chapter `chapter` over the app, or of every chapter when `chapter` is
 * null; `onClose` runs when it is put away. Returns its element.
 */
export function openKeepsake({ session, journal, people, chapter = null, onClose = () => {} }) {
  const whole = chapter === null;
  // What a bound notebook keeps beside the words (promises, agreements, the chapter's close…)
  // is marked `kept` in static/vocabulary/records.json; a chapter's opening gives its heading.
  const asked = journal.timeline.filter((item) => whole || (item.chapter ?? 1) === chapter);
  const items = asked.filter((item) => is(item.kind, "kept"));
  const drawn = asked.filter((item) => is(item.kind, "kept") || item.kind === KIND.CHAPTER_OPENED);
  const names = session.notebook.members.map((m) => people.get(m.id)?.name ?? t("common.someone")).join(" & ");
  const body = h("div", { class: "keepsake__pages" });
  const shown = session.shown();
  const state = whole || chapter >= shown.chapter ? shown.chapter_state : "closed";
  // One drawing of the pages for the notebook, the reader and the keepsake (views/pages.js).
  new Pages({ session, people, container: body }).draw(drawn, { ...shown, chapter: whole ? shown.chapter : chapter, chapter_state: state });
  // Pages always begins at chapter 1; a chapter's keepsake holds only the chapter asked for.
  for (const section of body.querySelectorAll(".chapter")) {
    if (!whole && Number(section.dataset.chapter) !== chapter) section.remove();
    else section.open = true;
  }
  if (whole) onPaper(body);
  const [first, last] = [items[0], items.at(-1)].map((item) => item && longDate(item.at));
  const dates = !first ? t("keepsake.blank") : first === last ? first : t("keepsake.range", { first, last });
  const title = whole ? t("keepsake.whole_title") : chapterHeading(journal, chapter);

  const close = () => {
    screen.remove();
    onClose();
  };
  const screen = h(
    "div",
    { class: "keepsake-screen", role: "region", "aria-label": t("keepsake.label") },
    h(
      "div",
      { class: "keepsake__actions" },
      h("button", { type: "button", class: "button button--primary", text: t("keepsake.print"), onclick: () => print() }),
      h("button", { type: "button", class: "button", text: t("keepsake.back"), onclick: close }),
    ),
    h(
      "article",
      { class: whole ? "keepsake keepsake--whole" : "keepsake" },
      h(
        "header",
        { class: "keepsake__cover" },
        h("p", { class: "keepsake__names", text: names }),
        h("h1", { class: "keepsake__title", text: title }),
        h("p", { class: "keepsake__dates", text: dates }),
      ),
      body,
      h("p", { class: "keepsake__colophon", text: t("keepsake.colophon") }),
    ),
  );
  document.body.append(screen);
  // The notebook behind is hidden now: the keepsake's heading takes the focus.
  const heading = screen.querySelector("h1");
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  return screen;
}

function chapterHeading(journal, chapter) {
  const title = journal.timeline.find((i) => i.kind === KIND.CHAPTER_OPENED && i.record.chapter === chapter)?.text;
  return t("pages.chapter_title", { n: chapter, title: title ?? (chapter === 1 ? t("pages.first_pages") : t("pages.untitled")) });
}

/**
 * On paper a chapter does not fold: each becomes a plain section under its own heading (what
 * the notebook's fold said), its days one level below.
 */
function onPaper(body) {
  for (const section of body.querySelectorAll("details.chapter")) {
    const [summary, ...rest] = section.children;
    const heading = h("h2", { class: "keepsake__chapter", text: summary.textContent });
    section.replaceWith(h("section", { class: "chapter", "data-chapter": section.dataset.chapter }, heading, ...rest));
  }
  for (const day of body.querySelectorAll("h2.pages__day")) {
    day.replaceWith(h("h3", { class: "pages__day", text: day.textContent }));
  }
}
