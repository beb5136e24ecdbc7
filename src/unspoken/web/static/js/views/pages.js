// The pages: chapter by chapter, each entry in its writer's hand, and between them quiet notes
// in the margin for what the rules recorded (a pause, a promise, a chapter closed). Past
// chapters fold away but stay readable.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { clock, moment } from "./when.js";

const DAY = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });
const OUTCOMES = { kept: "kept", broken: "broken", released: "released" };

/** Draws the journal's timeline into `container`, once per item, as it grows. */
export class Pages {
  constructor({ session, people, container }) {
    this.session = session;
    this.people = people;
    this.container = container;
    this.drawn = new Set();
    this.chapters = new Map();
  }

  who(memberId) {
    if (memberId === this.session.record.memberId) return "You";
    return this.people.get(memberId)?.name ?? "Your partner";
  }

  /** The section of chapter n, made on first use; only the newest one stays unfolded. */
  chapter(n, title = null) {
    let section = this.chapters.get(n);
    if (!section) {
      const summary = h("summary", { class: "chapter__title" });
      const blank = h("p", { class: "chapter__blank", text: "A new chapter: its pages are blank." });
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

  /** Headings and folding follow the chapters as the server describes them now. */
  settleChapters(notebook) {
    const many = this.chapters.size > 1 || notebook.chapter > 1;
    for (const [n, section] of this.chapters) {
      const info = notebook.chapters?.find((c) => c.n === n);
      const closed = info?.state === "closed";
      const name = section.chapterTitle ?? (n === 1 ? "The first pages" : "Untitled");
      section.summary.textContent = `Chapter ${n} · ${name}${closed ? " · closed" : ""}`;
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
      const title = item.kind === "chapter.opened" ? (item.text ?? "Untitled") : null;
      const section = this.chapter(item.chapter ?? 1, title);
      if (item.kind === "chapter.opened") continue;
      const day = DAY.format(new Date(item.at));
      if (day !== section.lastDay) {
        section.append(h("h3", { class: "pages__day", text: (section.lastDay = day) }));
      }
      section.append(item.kind === "entry" ? this.page(item) : this.note(item));
    }
    this.settleChapters(notebook);
  }

  page(entry) {
    const person = this.people.get(entry.member);
    const meta = h(
      "p",
      { class: "entry__meta" },
      h("span", { text: person?.name ?? "Unknown" }),
      " · ",
      h("time", { datetime: entry.at, text: clock(entry.at) }),
      entry.mirror ? h("span", { class: "entry__mirror", text: " · said back what they heard" }) : null,
    );
    if (entry.problem) {
      return h(
        "article",
        { class: "entry entry--unverified", "data-seq": entry.seq },
        meta,
        h("p", {
          class: "entry__problem",
          text:
            `This page could not be verified: ${entry.problem}. ` +
            "It is not shown, because it may not be what was written.",
        }),
      );
    }
    const text = h("p", { class: "entry__text", text: entry.text });
    applyHand(text, person?.hand);
    const kind = entry.mirror ? "entry entry--mirror" : "entry";
    return h("article", { class: kind, "data-seq": entry.seq }, meta, text);
  }

  note(item) {
    const line = h("p", { class: "note__line", text: this.sentence(item) });
    const quoted = [];
    if (item.problem) {
      quoted.push(h("p", { class: "entry__problem", text: `Not shown: ${item.problem}.` }));
    } else {
      if (item.text) quoted.push(this.quote(item.text, item.textBy));
      if (item.markNote) quoted.push(this.quote(item.markNote, item.member));
    }
    return h(
      "aside",
      { class: `note note--${item.kind.replace(".", "-")}`, "data-seq": item.seq },
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
    switch (item.kind) {
      case "pen.asked":
        return `${who} asked for the pen.`;
      case "mode.changed":
        return record.mode === "open"
          ? `${who} opened the page to both of you.`
          : `${who} asked to take turns again, and took the pen.`;
      case "pause.started":
        return `${who} asked for time, until ${moment(record.until)}.`;
      case "pause.renewed":
        return `${who} asked for more time, until ${moment(record.until)}.`;
      case "pause.here":
        return `${who} answered: I’ll be here.`;
      case "pause.ended":
        if (record.reason === "ready") return `${who} ${you ? "are" : "is"} ready to talk.`;
        return `The time ${you ? "you" : who} asked for is over.`;
      case "promise.made":
        return `${who} made a promise.`;
      case "promise.acknowledged":
        return `${who} acknowledged the promise.`;
      case "promise.withdrawn":
        return `${who} withdrew a promise.`;
      case "promise.marked":
        return `${who} marked the promise ${OUTCOMES[record.outcome] ?? record.outcome}.`;
      case "agreement.proposed":
        return `${who} proposed that you agree together.`;
      case "agreement.signed":
        return "You both agreed.";
      case "chapter.closed":
        return `${who} closed this chapter.`;
      case "member.left":
        return `${who} left the notebook.`;
      case "device.added":
        return t("devices.note_added", { who });
      case "device.revoked":
        return t("devices.note_revoked", { who });
      default:
        return "";
    }
  }
}
