// "She read his words": a partner's device may say how far it has read — only if its owner
// turns it on, on that device (off by default). What it says is sealed under the notebook's
// key and signed by the device, relayed live by the server like a draft frame and never
// stored: the server passes it on and cannot read how far. The other side shows it under the
// last words it wrote, once they have been read.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { seenAad } from "../protocol/box.js";
import { b64decode, b64encode } from "../protocol/encoding.js";
import { openSigned, sealSigned } from "../protocol/messages.js";

const PREFERENCE = "unspoken.seen.";

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

/**
 * This device's side: report(seq) after the partner's words up to `seq` have been on a visible
 * screen. Sends only when turned on, only what is new, and never twice the same.
 */
export function seenSender(session) {
  let on = seenPreference(session.id);
  let told = 0;
  let last = 0;

  async function send(seq) {
    // A counter that only grows, so the partner keeps the newest: this device's clock.
    const n = Math.max(Date.now(), last + 1);
    last = n;
    const sealed = await sealSigned(session.keyring, session.device, seenAad(session.id, session.device.id, n), { seq });
    await session.api.sendSeen({ n, ct: b64encode(sealed.box), sig: b64encode(sealed.sig) });
  }

  return {
    get on() {
      return on;
    },
    set(value) {
      on = value;
      setSeenPreference(session.id, value);
      if (!value) told = 0;
    },
    report(seq) {
      if (!on || !seq || seq <= told || document.visibilityState !== "visible") return;
      told = seq;
      // Only a moment's news: one that does not go through is simply not told.
      send(seq).catch(() => (told = Math.min(told, seq - 1)));
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
 * The other side: receive(frame) from the stream, and show(lastMine) under the pages — the
 * line says the partner has read this device's partner's latest words, when they have.
 */
export function seenViewer({ session, people }) {
  const line = h("p", { class: "seen", role: "status", hidden: true });
  let upto = 0;
  let newest = 0;
  let mine = null;

  async function receive(frame) {
    const sender = session.frameSender(frame);
    if (!sender || !Number.isSafeInteger(frame.n) || frame.n <= newest) return;
    let said;
    try {
      const additional = seenAad(session.id, frame.device, frame.n);
      said = await openSigned(session.keyring, sender.key, additional, b64decode(frame.ct), b64decode(frame.sig));
    } catch {
      return; // a frame that does not verify says nothing
    }
    if (!Number.isSafeInteger(said.seq) || frame.n <= newest) return;
    newest = frame.n;
    upto = Math.max(upto, said.seq);
    const name = people.get(frame.member)?.name ?? t("common.your_partner_capital");
    line.textContent = t("notebook.seen_line", { name });
    draw();
  }

  function draw() {
    line.hidden = !(mine && upto >= mine);
  }

  return {
    element: line,
    receive,
    /** The seq of this partner's own latest words, when they are the newest on the page. */
    show(latestMine) {
      mine = latestMine;
      draw();
    },
  };
}
