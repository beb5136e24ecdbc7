// "She read his words", and "Ella is here": a partner's device may say how far it has read and
// whether it has this notebook open in sight — only if its owner turns it on, on that device
// (off by default). What it says is sealed under the notebook's key and signed by the device,
// relayed live by the server like a draft frame and never stored. It goes on a steady beat
// while the notebook is open, in sight or not, so the server learns from its timing only that
// the screen is open (which the live stream already tells it), never when words were read or
// when the tab came into sight; even the device's clock is inside the box. The other side
// shows the read position under its own last words, and the partner as here for a while after
// a beat that said so.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { seenAad } from "../protocol/box.js";
import { b64decode, b64encode } from "../protocol/encoding.js";
import { openSigned, sealSigned } from "../protocol/messages.js";

const PREFERENCE = "unspoken.seen.";
/** How often an open notebook says where it is. */
export const BEAT_MS = 10_000;
/** How long "here" lasts after a beat that said so: two beats may be lost before it goes. */
const HERE_FOR_MS = 2.5 * BEAT_MS;
/** A beat sealed longer ago than this (on the sender's clock) is old news, not presence. */
const STALE_MS = 10 * 60_000;

export function seenPreference(notebookId) {
  try {
    return localStorage.getItem(PREFERENCE + notebookId) === "on";
  } catch {
    return false;
  }
}

function setSeenPreference(notebookId, on) {
  try {
    if (on) localStorage.setItem(PREFERENCE + notebookId, "on");
    else localStorage.removeItem(PREFERENCE + notebookId);
  } catch {
    // Private browsing may refuse storage: the choice then lasts until the page closes.
  }
}

/** A frame's `n`: random, so the clear part of a frame says nothing of this device's clock. */
function randomN() {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 2 ** 32 + low;
}

/**
 * This device's side: report(seq) when the partner's words up to `seq` have been on a visible
 * screen; start() beats while the screen is open, stop() ends it. Nothing goes unless turned on.
 */
export function seenSender(session) {
  let on = seenPreference(session.id);
  let upto = 0;
  let last = 0;
  let timer = null;

  async function beat() {
    if (!on || session.offline || !navigator.onLine) return;
    // Only grows on this device, so the partner keeps the newest; sealed, never in the clear.
    const at = Math.max(Date.now(), last + 1);
    last = at;
    const here = document.visibilityState === "visible";
    const n = randomN();
    const additional = seenAad(session.id, session.device.id, n);
    const sealed = await sealSigned(session.keyring, session.device, additional, { seq: upto, here, at });
    await session.api.sendSeen({ n, ct: b64encode(sealed.box), sig: b64encode(sealed.sig) });
  }
  // Only a moment's news: a beat that does not go through is made good by the next.
  const send = () => beat().catch(() => {});

  return {
    get on() {
      return on;
    },
    set(value) {
      on = value;
      setSeenPreference(session.id, value);
      // Turned on, it says so at once (the server learns that from the first beat anyway).
      if (value && timer) send();
    },
    report(seq) {
      if (seq && seq > upto && document.visibilityState === "visible") upto = seq;
    },
    /** The screen is open: a beat now (the live stream opens now too), then on the schedule. */
    start() {
      if (timer) return;
      timer = setInterval(send, BEAT_MS);
      send();
    },
    stop() {
      clearInterval(timer);
      timer = null;
    },
  };
}

/** The choice, in the notebook's housekeeping: off unless turned on, on this device. */
export function seenChoice({ sender, partnerName, onChange }) {
  const input = h("input", { type: "checkbox", id: "seen-choice", class: "seen-choice__input", checked: sender.on });
  input.addEventListener("change", () => {
    sender.set(input.checked);
    onChange(input.checked);
  });
  return h(
    "div",
    { class: "seen-choice" },
    h(
      "label",
      { class: "seen-choice__label", for: "seen-choice" },
      input,
      h("span", { text: t("notebook.seen_choice", { name: partnerName }) }),
    ),
    h("p", { class: "quiet seen-choice__hint", text: t("notebook.seen_hint", { name: partnerName }) }),
  );
}

/**
 * The other side: receive(frame) from the stream, and show(lastMine) under the pages — one line
 * says the partner is here (while a beat said so, lately), another that they have read this
 * partner's latest words, when they have. stop() lets go of its timer.
 */
export function seenViewer({ session, people }) {
  const presence = h("p", { class: "presence", role: "status", hidden: true });
  const line = h("p", { class: "seen", role: "status", hidden: true });
  const element = h("div", { class: "seen-lines" }, presence, line);
  let upto = 0;
  let mine = null;
  // Per device of the partner: the newest clock it sealed, and until when it is here.
  const newest = new Map();
  const hereUntil = new Map();
  let timer = null;

  async function receive(frame) {
    const sender = session.frameSender(frame);
    if (!sender || !Number.isSafeInteger(frame.n)) return;
    let said;
    try {
      const additional = seenAad(session.id, frame.device, frame.n);
      said = await openSigned(session.keyring, sender.key, additional, b64decode(frame.ct), b64decode(frame.sig));
    } catch {
      return; // a frame that does not verify says nothing
    }
    // A device before the beat sent its clock as `n`, in the clear.
    const at = Number.isSafeInteger(said.at) ? said.at : frame.n;
    if (!Number.isSafeInteger(said.seq) || at <= (newest.get(frame.device) ?? 0)) return;
    newest.set(frame.device, at);
    upto = Math.max(upto, said.seq);
    const name = people.get(frame.member)?.name ?? t("common.your_partner_capital");
    line.textContent = t("notebook.seen_line", { name });
    presence.textContent = t("notebook.here_line", { name });
    // A beat replayed from long ago (the server may hold one) is not presence.
    const fresh = said.here === true && Date.now() - at < STALE_MS;
    if (fresh) hereUntil.set(frame.device, Date.now() + HERE_FOR_MS);
    else hereUntil.delete(frame.device);
    draw();
  }

  function draw() {
    line.hidden = !(mine && upto >= mine);
    const now = Date.now();
    for (const [device, until] of hereUntil) if (until <= now) hereUntil.delete(device);
    presence.hidden = hereUntil.size === 0;
    clearTimeout(timer);
    if (hereUntil.size) timer = setTimeout(draw, Math.min(...hereUntil.values()) - now + 50);
  }

  return {
    element,
    receive,
    /** The seq of this partner's own latest words, when they are the newest on the page. */
    show(latestMine) {
      mine = latestMine;
      draw();
    },
    stop() {
      clearTimeout(timer);
      hereUntil.clear();
    },
  };
}
