// The keepsake page of a chapter: its pages in both hands, with their dates, and the promises
// and agreements made in it, laid out like the pages of a bound notebook for printing (print
// CSS with @page in keeping.css). It covers the app while open; the browser prints only it.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { Pages } from "./pages.js";
import { longDate } from "./when.js";
import { KIND, is } from "../protocol/records.js";

/** Open the keepsake of chapter `chapter` over the app; returns its element. */
export function openKeepsake({ session, journal, people, chapter }) {
  // What a bound notebook keeps beside the words (promises, agreements, the chapter's close…)
  // is marked `kept` in static/vocabulary/records.json.
  const items = journal.timeline.filter((item) => (item.chapter ?? 1) === chapter && is(item.kind, "kept"));
  const title = journal.timeline.find((i) => i.kind === KIND.CHAPTER_OPENED && i.record.chapter === chapter)?.text;
  const names = session.notebook.members.map((m) => people.get(m.id)?.name ?? t("common.someone")).join(" & ");
  const body = h("div", { class: "keepsake__pages" });
  const shown = session.shown();
  const state = chapter < shown.chapter ? "closed" : shown.chapter_state;
  new Pages({ session, people, container: body }).draw(items, { ...shown, chapter, chapter_state: state });
  // Pages always begins at chapter 1; a keepsake holds only the chapter asked for.
  for (const section of body.querySelectorAll(".chapter")) {
    if (Number(section.dataset.chapter) !== chapter) section.remove();
    else section.open = true;
  }
  const [first, last] = [items[0], items.at(-1)].map((item) => item && longDate(item.at));
  const dates = !first ? t("keepsake.blank") : first === last ? first : t("keepsake.range", { first, last });

  const close = () => screen.remove();
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
      { class: "keepsake" },
      h(
        "header",
        { class: "keepsake__cover" },
        h("p", { class: "keepsake__names", text: names }),
        h("h1", { class: "keepsake__title", text: t("pages.chapter_title", { n: chapter, title: title ?? (chapter === 1 ? t("pages.first_pages") : t("pages.untitled")) }) }),
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
