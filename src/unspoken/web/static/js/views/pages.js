// The pages: chapter by chapter, each entry in its writer's hand, and between them quiet notes
// in the margin for what the rules recorded (a pause, a promise, a chapter closed). Past
// chapters fold away but stay readable.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { inkImage, inkLabel } from "../ink/render.js";
import { crossOutButton } from "./crossing.js";
import { reasonWords } from "./frame.js";
import { clock, dayHeading, moment } from "./when.js";
import { KIND } from "../protocol/records.js";

// What a marked promise became, each outcome its own whole sentence (for "you" and for a name).
const OUTCOMES = {
  kept: ["pages.promise_kept_you", "pages.promise_kept"],
  broken: ["pages.promise_broken_you", "pages.promise_broken"],
  released: ["pages.promise_released_you", "pages.promise_released"],
};

/** Draws the journal's timeline into `container`, once per item, as it grows. */
export class Pages {
  /** `onCrossOut(entryId)`, when given, lets this partner cross out a line of their own. */
  constructor({ session, people, container, onCrossOut = null }) {
    this.session = session;
    this.people = people;
    this.container = container;
    this.onCrossOut = onCrossOut;
    this.drawn = new Set();
    this.chapters = new Map();
  }

  who(memberId) {
    if (memberId === this.session.record.memberId) return t("pages.you");
    return this.people.get(memberId)?.name ?? t("common.your_partner_capital");
  }

  /** The section of chapter n, made on first use; only the newest one stays unfolded. */
  chapter(n, title = null) {
    let section = this.chapters.get(n);
    if (!section) {
      const summary = h("summary", { class: "chapter__title" });
      const blank = h("p", { class: "chapter__blank", text: t("pages.chapter_blank") });
      section = h("details", { class: "chapter", "data-chapter": n, open: true }, summary, blank);
      section.summary = summary;
      section.blank = blank;
      section.lastDay = null;
      this.chapters.set(n, section);
      this.container.append(section);
    }
    if (title !== null) section.chapterTitle = title;
    return section;
  }

  /**
   * Headings and folding follow the chapters as the checked acts say now (`notebook` is what
   * session.shown() gives): every chapter before the open one is closed, and it may be too.
   */
  settleChapters(notebook) {
    const many = this.chapters.size > 1 || notebook.chapter > 1;
    for (const [n, section] of this.chapters) {
      const closed = n < notebook.chapter || (n === notebook.chapter && notebook.chapter_state === "closed");
      const name = section.chapterTitle ?? (n === 1 ? t("pages.first_pages") : t("pages.untitled"));
      section.summary.textContent = t(closed ? "pages.chapter_closed_title" : "pages.chapter_title", { n, title: name });
      section.summary.hidden = !many;
      section.classList.toggle("chapter--single", !many);
      section.blank.hidden = n === 1 || section.childElementCount > 2;
      if (n !== notebook.chapter && section.dataset.folded !== "yes") {
        section.open = false;
        section.dataset.folded = "yes";
      }
    }
  }

  draw(timeline, notebook) {
    this.chapter(1);
    for (const item of timeline) {
      if (this.drawn.has(item.seq)) continue;
      this.drawn.add(item.seq);
      // A chapter's opening is its heading; one its opener's device did not sign names no
      // chapter and stays on the page as a refused note instead.
      const opening = item.kind === KIND.CHAPTER_OPENED && !item.refused;
      const title = opening ? (item.text ?? t("pages.untitled")) : null;
      const refusedOpening = item.kind === KIND.CHAPTER_OPENED && !opening;
      const section = this.chapter(refusedOpening ? Math.max(...this.chapters.keys()) : (item.chapter ?? 1), title);
      if (opening) continue;
      const day = dayHeading(item.at);
      if (day !== section.lastDay) {
        section.append(h("h2", { class: "pages__day", text: (section.lastDay = day) }));
      }
      section.append(item.kind === KIND.ENTRY ? this.page(item) : this.note(item));
    }
    this.strikeThrough(notebook);
    this.settleChapters(notebook);
  }

  /**
   * Lines their writers crossed out, as this device's log checked the acts (never the server's
   * word): struck through and named so, their "Cross out" gone. Once someone has left, the
   * notebook is read-only and no line offers it.
   */
  strikeThrough(notebook) {
    const crossed = this.session.followed?.().crossed ?? new Set();
    const readOnly = (notebook.left ?? []).length > 0;
    for (const article of this.container.querySelectorAll("article.entry[data-entry]")) {
      const button = article.querySelector(".entry__cross");
      if (button) button.hidden = readOnly;
      if (!crossed.has(article.dataset.entry) || article.classList.contains("entry--crossed")) continue;
      article.classList.add("entry--crossed");
      button?.remove();
      const member = article.dataset.member;
      const mine = member === this.session.record.memberId;
      const said = mine ? t("pages.crossed_out_you") : t("pages.crossed_out", { who: this.who(member) });
      article.querySelector(".entry__meta")?.append(h("span", { class: "entry__crossed", text: ` · ${said}` }));
    }
  }

  /**
   * Notes that a card under the pages is saying now (the pause under way, a partner's goodbye)
   * are held back, so nothing is said twice on one screen; they return once the card goes.
   */
  holdBack(seqs) {
    const held = new Set(seqs);
    for (const note of this.container.querySelectorAll("aside.note[data-seq]")) {
      note.hidden = held.has(Number(note.dataset.seq));
    }
  }

  page(entry) {
    const person = this.people.get(entry.member);
    const meta = h(
      "p",
      { class: "entry__meta" },
      h("span", { text: person?.name ?? t("pages.unknown") }),
      " · ",
      h("time", { datetime: entry.at, text: clock(entry.at) }),
      entry.mirror ? h("span", { class: "entry__mirror", text: ` · ${t("pages.said_back")}` }) : null,
    );
    if (entry.problem) {
      return h(
        "article",
        { class: "entry entry--unverified", "data-seq": entry.seq },
        meta,
        h("p", {
          class: "entry__problem",
          text: t("pages.unverified", { reason: reasonWords(entry.problem) }),
        }),
      );
    }
    // Written by hand: the strokes as an image named by who wrote it and what it says.
    const text = entry.ink?.length
      ? h("div", { class: "entry__ink" }, inkImage(entry.ink, { label: inkLabel(person?.name ?? t("pages.unknown"), entry.text) }))
      : h("p", { class: "entry__text", text: entry.text });
    applyHand(text, person?.hand);
    const kind = entry.mirror ? "entry entry--mirror" : "entry";
    // On one's own lines, a quiet "Cross out" at the end of the line's heading.
    if (entry.member === this.session.record.memberId && this.onCrossOut) {
      meta.append(crossOutButton(() => this.onCrossOut(entry.id), text));
    }
    const where = { class: kind, "data-seq": entry.seq, "data-entry": entry.id, "data-member": entry.member };
    return h("article", where, meta, text);
  }

  note(item) {
    const said = item.refused ? t("pages.act_refused") : this.sentence(item);
    const line = h("p", { class: "note__line", text: said });
    const quoted = [];
    if (item.problem) {
      quoted.push(h("p", { class: "entry__problem", text: t("pages.not_shown", { reason: reasonWords(item.problem) }) }));
    } else {
      if (item.text) quoted.push(this.quote(item.text, item.textBy));
      if (item.markNote) quoted.push(this.quote(item.markNote, item.member));
    }
    return h(
      "aside",
      { class: `note note--${item.refused ? "refused" : item.kind.replace(".", "-")}`, "data-seq": item.seq },
      h("time", { class: "note__time", datetime: item.at, text: clock(item.at) }),
      line,
      ...quoted,
    );
  }

  quote(text, memberId) {
    const words = h("q", { class: "note__quote", text });
    if (memberId) applyHand(words, this.people.get(memberId)?.hand);
    return h("p", { class: "note__words" }, words);
  }

  sentence(item) {
    const who = this.who(item.member);
    const record = item.record;
    const you = item.member === this.session.record.memberId;
    // Each sentence comes whole for "you" and for a name: languages conjugate them apart.
    const say = ([mine, theirs], vars = {}) => (you ? t(mine, vars) : t(theirs, { who, ...vars }));
    switch (item.kind) {
      case KIND.PEN_ASKED:
        return say(["pages.pen_asked_you", "pages.pen_asked"]);
      case KIND.MODE_CHANGED:
        return record.mode === "open"
          ? say(["pages.opened_you", "pages.opened"])
          : say(["pages.turns_you", "pages.turns"]);
      case KIND.PAUSE_STARTED:
        return say(["pages.pause_started_you", "pages.pause_started"], { until: moment(record.until) });
      case KIND.PAUSE_RENEWED:
        return say(["pages.pause_renewed_you", "pages.pause_renewed"], { until: moment(record.until) });
      case KIND.PAUSE_HERE:
        return say(["pages.pause_here_you", "pages.pause_here"]);
      case KIND.PAUSE_ENDED:
        if (record.reason === "ready") return say(["pages.ready_you", "pages.ready"]);
        return say(["pages.time_over_you", "pages.time_over"]);
      case KIND.PROMISE_MADE:
        return say(["pages.promise_made_you", "pages.promise_made"]);
      case KIND.PROMISE_ACKNOWLEDGED:
        return say(["pages.promise_acknowledged_you", "pages.promise_acknowledged"]);
      case KIND.PROMISE_WITHDRAWN:
        return say(["pages.promise_withdrawn_you", "pages.promise_withdrawn"]);
      case KIND.PROMISE_MARKED:
        return OUTCOMES[record.outcome] ? say(OUTCOMES[record.outcome]) : "";
      case KIND.AGREEMENT_PROPOSED:
        return say(["pages.agreement_proposed_you", "pages.agreement_proposed"]);
      case KIND.AGREEMENT_DECLINED:
        return say(["pages.agreement_not_yet_you", "pages.agreement_not_yet"]);
      case KIND.AGREEMENT_REVISED:
        return say(["pages.agreement_revised_you", "pages.agreement_revised"]);
      case KIND.AGREEMENT_SIGNED:
        return t("pages.agreement_signed");
      case KIND.CHAPTER_CLOSED:
        return say(["pages.chapter_closed_you", "pages.chapter_closed"]);
      case KIND.MEMBER_LEFT:
        return say(["pages.member_left_you", "pages.member_left"]);
      case KIND.DEVICE_ADDED:
        return say(["devices.note_added_you", "devices.note_added"]);
      case KIND.DEVICE_REVOKED:
        return say(["devices.note_revoked_you", "devices.note_revoked"]);
      default:
        return "";
    }
  }
}
