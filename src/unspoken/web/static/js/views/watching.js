// Watching the words form: while a writer lets the partner watch, the whole draft so far is
// sealed and sent a few times a second at most (the server allows 5 a second per device); the
// partner sees it grow in the writer's hand, marked as not yet written. Never stored anywhere.
// Written by hand, a frame holds every stroke so far too; they are sent more often (every
// INK_GAP_MS, still within the server's limit) and the partner sees them drawn at the pace
// they were written (js/ink/replay.js).

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { inkLabel } from "../ink/render.js";
import { inkReplay } from "../ink/replay.js";
import { b64encode, newId } from "../protocol/encoding.js";
import { openDraftFrame, sealDraft } from "../protocol/items.js";

// At most about three frames a second: well under the server's limit, still smooth to watch.
const GAP_MS = 330;
// Strokes: four frames a second, leaving room under the server's five for timing jitter and a
// read position; the partner's replay smooths what lies between two frames.
export const INK_GAP_MS = 250;
const PREFERENCE = "unspoken.watch.";

export function watchPreference(notebookId) {
  try {
    return localStorage.getItem(PREFERENCE + notebookId) === "on";
  } catch {
    return false;
  }
}

export function setWatchPreference(notebookId, on) {
  try {
    if (on) localStorage.setItem(PREFERENCE + notebookId, "on");
    else localStorage.removeItem(PREFERENCE + notebookId);
  } catch {
    // Private browsing may refuse storage: the choice then lasts until the page closes.
  }
}

/**
 * The writer's side: update(text, ink) as they type or draw (`ink` the strokes so far, or
 * null), reset() once the entry has landed.
 */
export function draftSender(session) {
  let draftId = newId();
  let n = 0;
  let latest = null;
  let sending = false;
  let timer = null;
  let lastSent = 0;

  async function send() {
    timer = null;
    if (sending || latest === null) return;
    const { text, ink } = latest;
    latest = null;
    sending = true;
    lastSent = Date.now();
    const chapter = session.shown().chapter;
    const place = { notebookId: session.id, chapter, draftId, n: n++ };
    try {
      const sealed = await sealDraft(session.keyring, session.device, place, text, undefined, { ink });
      await session.api.sendDraft({
        chapter,
        draft: draftId,
        n: place.n,
        ct: b64encode(sealed.box),
        sig: b64encode(sealed.sig),
      });
    } catch (error) {
      // A frame is the whole draft so far: a refused one costs nothing but a moment's wait.
      if (error instanceof ApiError && error.status === 429) {
        lastSent = Date.now() + (error.retryAfter ?? 1) * 1000;
        latest ??= { text, ink };
      }
    } finally {
      sending = false;
    }
    if (latest !== null) schedule();
  }

  function schedule() {
    if (timer || sending) return;
    const gap = latest?.ink ? INK_GAP_MS : GAP_MS;
    timer = setTimeout(send, Math.max(0, lastSent + gap - Date.now()));
  }

  return {
    update(text, ink = null) {
      latest = { text, ink: ink?.length ? ink : null };
      schedule();
    },
    reset() {
      clearTimeout(timer);
      timer = null;
      latest = null;
      draftId = newId();
      n = 0;
    },
  };
}

/** The partner's side: the words forming, shown above the foot while frames arrive. */
export function draftViewer({ session, people }) {
  const who = h("p", { class: "forming__who", id: "forming-who" });
  const text = h("p", { class: "forming__text" });
  const strokes = inkReplay({ className: "ink" });
  const ink = h("div", { class: "forming__ink", hidden: true }, strokes.element);
  const element = h(
    "section",
    { class: "forming", hidden: true, "aria-label": t("composer.forming_label") },
    who,
    ink,
    text,
    h("p", { class: "forming__note", text: t("composer.forming_note") }),
  );
  element.setAttribute("aria-describedby", who.id);
  let shown = { draft: null, n: -1, member: null };
  // Drafts that became an entry: a late frame of one must not bring it back.
  const finished = new Set();

  async function receive(frame) {
    const sender = session.frameSender(frame);
    if (!sender) return;
    if (frame.chapter !== session.shown().chapter || finished.has(frame.draft)) return;
    if (frame.draft === shown.draft && frame.n <= shown.n) return;
    let words;
    let drawn;
    try {
      ({ text: words, ink: drawn } = await openDraftFrame(session.keyring, sender.key, session.id, frame));
    } catch {
      return; // a frame that does not verify is simply not shown
    }
    // A later frame, or the entry itself, may have arrived while this one was opening.
    if (finished.has(frame.draft) || (frame.draft === shown.draft && frame.n <= shown.n)) return;
    shown = { draft: frame.draft, n: frame.n, member: frame.member };
    const person = people.get(frame.member);
    who.textContent = t("composer.is_writing", { name: person?.name ?? t("common.your_partner_capital") });
    text.textContent = words;
    applyHand(text, person?.hand);
    applyHand(ink, person?.hand);
    // Strokes are drawn as they were written; a typed draft shows none.
    if (drawn?.length) {
      strokes.show(drawn);
      strokes.element.setAttribute("aria-label", inkLabel(person?.name ?? t("common.your_partner_capital"), words));
    } else {
      strokes.clear();
    }
    ink.hidden = !drawn?.length;
    text.hidden = Boolean(drawn?.length) && words.trim() === "";
    element.hidden = words.trim() === "" && !drawn?.length;
  }

  return {
    element,
    receive,
    /** The entry landed (or the pen moved): what was forming is now on the page, or gone. */
    clear(member = null) {
      if (member && member !== shown.member) return;
      if (shown.draft) finished.add(shown.draft);
      element.hidden = true;
      text.textContent = "";
      strokes.clear();
      ink.hidden = true;
    },
  };
}
