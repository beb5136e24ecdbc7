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
  const nb = session.shown();
  const pause = session.activePause();
  return {
    nb,
    pause,
    left: nb.left.length > 0,
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

/**
 * What the composer is for now: writing, saying back, or a draft that waits (and why); and
 * whether a knock's card shows, which then offers passing the notebook in the composer's stead.
 */
export function composeState(now, { journal, people, me, partnerName, knockSetAside }) {
  const { nb, silenced, pause } = now;
  const open = nb.mode === "open";
  const knock = knockWaiting(now, { journal, me });
  const knocked = Boolean(knock && knock.seq !== knockSetAside);
  // The chapter's template as its signed opening says; a refused opening says nothing.
  const meta = journal.timeline.find(
    (i) => i.kind === KIND.CHAPTER_OPENED && i.record.chapter === nb.chapter && !i.refused,
  )?.meta;
  const written = journal.entries.filter((e) => e.chapter === nb.chapter && !e.mirror).length;
  const step = currentStep(meta?.template, written);
  if (silenced) {
    const name = people.get(pause.by)?.name ?? partnerName;
    return { mode: "draft", why: t("notebook.silenced", { name }), step };
  }
  // Mirror-before-reply as the signed log says (js/log.js), never the server's word.
  const mirror = journal.log.mirror;
  if (mirror?.owed_by === me) return { mode: "mirror", open, step, knocked };
  if (mirror?.awaiting && mirror.awaiting !== me) {
    return { mode: "draft", why: t("notebook.awaiting_mirror", { name: partnerName }), step };
  }
  return { mode: "write", open, step, knocked };
}

/** Whether a knock waits for this partner: they hold the pen in turns, and may pass it. */
export function knockWaiting({ nb, left, silenced, myPen }, { journal, me }) {
  const knock = journal.knock;
  return knock && knock.member !== me && myPen && nb.mode === "turns" && !silenced && !left ? knock : null;
}

/**
 * The knock, for the top of the screen where it is seen at once (and, sticky, wherever the
 * holder has scrolled to): {key, card()}; `set aside` hides this knock on this screen.
 */
export function knockNotice(now, { journal, people, me, partnerName, on, setAside }) {
  const knock = knockWaiting(now, { journal, me });
  const shown = knock && knock.seq !== setAside ? knock : null;
  const key = JSON.stringify(shown?.seq ?? null);
  const card = () => {
    if (!shown) return [];
    const name = people.get(shown.member)?.name ?? partnerName;
    return [knockBanner({ name, at: shown.at, onPass: on.passPen, onLater: () => on.later(shown.seq) })];
  };
  return { key, cards: card };
}

/** The banners the state calls for, and the key that changes when they would. */
export function banners(now, { session, journal, people, me, partnerName, on }) {
  const { nb, pause, left } = now;
  // Whose restatement waits for an answer, as the signed log says (js/log.js).
  const answerMine = journal.log.mirror?.awaiting === me;
  const restated = answerMine
    ? journal.entries.findLast((e) => e.chapter === nb.chapter && e.mirror && e.member !== me)
    : null;
  const key = JSON.stringify([
    left && nb.erase_at,
    pause,
    journal.pauseNote?.seq,
    journal.hereNote?.seq,
    answerMine && restated?.seq,
  ]);
  const cards = () => {
    const out = [];
    if (left) out.push(leftBanner({ name: partnerName, eraseAt: nb.erase_at }));
    if (pause && !left) out.push(pauseCard({ session, journal, people, onRenew: on.askTime, onDone: on.after }));
    if (answerMine && !left) {
      const hand = people.get(session.partner()?.id)?.hand;
      out.push(mirrorCard({ session, partnerName, restatement: restated?.text, hand, onDone: on.after }));
    }
    return out;
  };
  return { key, cards };
}

/**
 * Whether it is this partner's turn to write: the pen is theirs in a chapter of turns, or a
 * restatement is owed; not while the other asked for time, nor in a closed chapter.
 */
export function myTurn({ nb, left, closed, silenced }, { journal, me }) {
  if (left || closed || silenced) return false;
  const mirror = journal.log.mirror; // as the signed log says
  if (mirror?.awaiting && mirror.awaiting !== me) return false;
  return mirror?.owed_by === me || (nb.mode === "turns" && journal.pen === me);
}

/**
 * The margin notes a card says now — the pause under way, a knock not yet set aside, a
 * goodbye — by seq, so the screen says each thing once.
 */
export function saidByBanners(now, { journal, me, knockSetAside }) {
  const { pause, left } = now;
  const held = [];
  const knock = knockWaiting(now, { journal, me });
  if (knock && knock.seq !== knockSetAside) held.push(knock.seq);
  if (pause && !left) {
    for (const note of [journal.pauseNote, journal.hereNote]) if (note) held.push(note.seq);
  }
  if (left) held.push(...journal.timeline.filter((i) => i.kind === KIND.MEMBER_LEFT).map((i) => i.seq));
  return held;
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

/**
 * A count on a tab of what waits there for this partner: seen as a small figure, heard as the
 * tab's description (its name stays the same, so it is found by the same words).
 */
export function setBadge(tabButton, count, words) {
  let badge = tabButton.querySelector(".tabs__badge");
  let told = tabButton.querySelector(".tabs__told");
  if (!badge) {
    badge = h("span", { class: "tabs__badge", "aria-hidden": "true" });
    // Left out of the tab's name (aria-hidden), read as its description (referenced by id).
    told = h("span", { class: "visually-hidden tabs__told", "aria-hidden": "true", id: `${tabButton.id || "tab"}-waiting` });
    tabButton.append(badge, told);
    tabButton.setAttribute("aria-describedby", told.id);
  }
  badge.hidden = count === 0;
  badge.textContent = count ? String(count) : "";
  told.textContent = count ? words : "";
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
