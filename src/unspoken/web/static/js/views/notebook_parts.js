// The notebook screen's parts as functions of state: what the rules allow now, which foot,
// banners and tools that calls for, and the small pieces around them. They hold nothing and
// listen to nothing; views/notebook.js owns the screen and redraws a part when its key changes.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { KIND } from "../protocol/records.js";
import { currentStep } from "../templates.js";
import { mirrorCard } from "./chapters.js";
import { phraseBox } from "./frame.js";
import { leftBanner } from "./goodbye.js";
import { pauseCard } from "./pause.js";
import { knockBanner, penLine } from "./pen.js";
import { toolButton } from "./tools.js";

/** What the rules allow this partner now. */
export function notebookState(session, journal, me) {
  const nb = session.notebook;
  const pause = session.activePause();
  return {
    nb,
    pause,
    left: (nb.left ?? []).length > 0,
    silenced: Boolean(pause && pause.by !== me),
    closed: nb.chapter_state === "closed",
    myPen: nb.mode === "open" || journal.pen === me,
  };
}

/** Which foot the state calls for: "left", "closed", "compose" or "pen:<holder>". */
export function footKey({ left, closed, silenced, myPen }, holder) {
  if (left) return "left";
  if (closed) return "closed";
  if (silenced || myPen) return "compose";
  return `pen:${holder}`;
}

/** The foot for `key`; `composer` is the one that lives as long as the screen. */
export function footContent(key, { session, holder, composer, newChapter }) {
  if (key === "left") return quietLine(t("notebook.nothing_more"));
  if (key === "closed") return closedLine(newChapter);
  if (key === "compose") return composer.element;
  return penLine({ session, holder });
}

/** What the composer is for now: writing, saying back, or a draft that waits (and why). */
export function composeState({ nb, silenced, pause }, { journal, people, me, partnerName }) {
  const open = nb.mode === "open";
  const meta = journal.timeline.find((i) => i.kind === KIND.CHAPTER_OPENED && i.record.chapter === nb.chapter)?.meta;
  const written = journal.entries.filter((e) => e.chapter === nb.chapter && !e.mirror).length;
  const step = currentStep(meta?.template, written);
  if (silenced) {
    const name = people.get(pause.by)?.name ?? partnerName;
    return { mode: "draft", why: t("notebook.silenced", { name }), step };
  }
  if (nb.mirror?.owed_by === me) return { mode: "mirror", open, step };
  if (nb.mirror?.awaiting && nb.mirror.awaiting !== me) {
    return { mode: "draft", why: t("notebook.awaiting_mirror", { name: partnerName }), step };
  }
  return { mode: "write", open, step };
}

/** The banners the state calls for, and the key that changes when they would. */
export function banners(now, { session, journal, people, me, partnerName, on }) {
  const { nb, pause, left, silenced, myPen } = now;
  const knock = journal.knock;
  const knocked = knock && knock.member !== me && myPen && nb.mode === "turns" && !silenced && !left;
  const restated =
    nb.mirror?.awaiting === me
      ? journal.entries.findLast((e) => e.chapter === nb.chapter && e.mirror && e.member !== me)
      : null;
  const key = JSON.stringify([
    left && nb.erase_at,
    pause,
    journal.pauseNote?.seq,
    journal.hereNote?.seq,
    knocked && knock.seq,
    nb.mirror?.awaiting === me && restated?.seq,
  ]);
  const cards = () => {
    const out = [];
    if (left) out.push(leftBanner({ name: partnerName, eraseAt: nb.erase_at }));
    if (pause && !left) out.push(pauseCard({ session, journal, people, onRenew: on.askTime, onDone: on.after }));
    if (knocked) {
      const name = people.get(knock.member)?.name ?? partnerName;
      out.push(knockBanner({ name, at: knock.at, onPass: on.passPen }));
    }
    if (nb.mirror?.awaiting === me && !left) {
      const hand = people.get(session.partner()?.id)?.hand;
      out.push(mirrorCard({ session, partnerName, restatement: restated?.text, hand, onDone: on.after }));
    }
    return out;
  };
  return { key, cards };
}

/** The key that changes when the tools would. */
export function toolsKey({ nb, pause, left, silenced, closed, myPen }) {
  return JSON.stringify([nb.mode, Boolean(pause), left, silenced, closed, myPen, nb.chapter]);
}

function closedLine(newChapter) {
  return h(
    "div",
    { class: "pen-line" },
    h("p", { class: "pen-line__who pen-line__who--closed", text: t("notebook.closed_title") }),
    h("p", { class: "quiet", text: t("notebook.closed_text") }),
    h("div", { class: "actions actions--center" }, toolButton(t("notebook.new_chapter"), newChapter, true)),
  );
}

function quietLine(text) {
  return h("p", { class: "pen-line quiet", text });
}

export function tab(text, pressed) {
  return h("button", { type: "button", class: "tabs__tab", "aria-pressed": String(pressed), text });
}

export async function readProfiles(session) {
  const people = new Map();
  for (const member of session.notebook.members) {
    try {
      const profile = await session.profileOf(member);
      if (profile) people.set(member.id, profile);
    } catch {
      people.set(member.id, { name: t("common.someone_unverified"), hand: null });
    }
  }
  return people;
}

export function names(session, people) {
  const me = people.get(session.record.memberId)?.name;
  const partner = people.get(session.partner()?.id)?.name;
  return partner ? `${me} & ${partner}` : me;
}

export function phraseDetails(phrase) {
  return h(
    "details",
    { class: "phrase-details" },
    h("summary", { text: t("common.safety_phrase") }),
    h("p", { class: "quiet", text: t("notebook.phrase_hint") }),
    phraseBox(phrase),
  );
}
