// Time and space: the "I need time" sheet (20 minutes to 24 hours, an optional sealed note), and
// the card both partners see while a pause lasts — "I'll be here" for one, "I'm ready to talk"
// or more time for the other. Every time is shown on the reader's own clock.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { duration, moment } from "./when.js";

export const MIN_MINUTES = 20;
export const MAX_MINUTES = 24 * 60;
const MORNING_HOUR = 8;

/** Minutes from now until tomorrow morning, kept inside what a pause may last. */
function untilMorning(now = new Date()) {
  const morning = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, MORNING_HOUR);
  const minutes = Math.round((morning - now) / 60000);
  return Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, minutes));
}

function presets() {
  const morning = untilMorning();
  const at = new Date(Date.now() + morning * 60000).toISOString();
  return [
    { minutes: 20, text: "20 minutes" },
    { minutes: 60, text: "An hour" },
    { minutes: 180, text: "Three hours" },
    { minutes: morning, text: `Until tomorrow morning`, aside: moment(at) },
  ];
}

/** The sheet that asks for time (or, `renew`, for more of it). */
export function openPauseSheet({ session, partnerName, renew = false, onDone }) {
  const error = errorLine();
  const custom = h("input", {
    type: "number",
    id: "pause-minutes",
    class: "field__input pause__minutes",
    min: String(MIN_MINUTES),
    max: String(MAX_MINUTES),
    step: "5",
    inputmode: "numeric",
    value: "90",
  });
  const customField = h(
    "div",
    { class: "field pause__custom", hidden: true },
    h("label", { for: custom.id, class: "field__label", text: "Minutes (20 to 1440)" }),
    custom,
    h("p", { class: "field__hint", text: "From 20 minutes up to 24 hours." }),
  );
  const choices = [...presets(), { minutes: null, text: "Another length" }].map((preset, i) =>
    h(
      "label",
      { class: "choice choice--small" },
      h("input", {
        type: "radio",
        name: "pause-length",
        class: "choice__input",
        value: preset.minutes ?? "custom",
        checked: i === 1,
        onchange: () => {
          customField.hidden = preset.minutes !== null;
        },
      }),
      h(
        "span",
        { class: "choice__body" },
        h("span", { text: preset.text }),
        preset.aside ? h("span", { class: "choice__note", text: preset.aside }) : null,
      ),
    ),
  );
  const note = h("textarea", {
    id: "pause-note",
    class: "field__input pause__note",
    rows: "2",
    maxlength: "2000",
    placeholder: "I need time…",
  });
  const ask = h("button", {
    type: "submit",
    class: "button button--primary",
    text: renew ? "Ask for more time" : "Ask for time",
  });
  const form = h(
    "form",
    { class: "pause-sheet" },
    h("p", {
      class: "quiet",
      text:
        `${partnerName} is told at once, with your note if you write one. Until then they can ` +
        "read and draft, but not add anything. You can say you’re ready sooner.",
    }),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: "How long" }),
      h("div", { class: "choices" }, choices),
    ),
    customField,
    h(
      "div",
      { class: "field" },
      h("label", {
        for: note.id,
        class: "field__label",
        text: `A note for ${partnerName} (optional)`,
      }),
      note,
    ),
    error,
  );
  const { close } = openDialog({ title: renew ? "I need more time" : "I need time" }, form);
  form.append(h("div", { class: "actions" }, ask, cancelButton(close)));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[name=pause-length]:checked").value;
    const minutes = Number(picked === "custom" ? custom.value : picked);
    if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      showError(error, new Error("A pause lasts from 20 minutes to 24 hours (1440 minutes)."));
      return;
    }
    try {
      await working(ask, "Sealing…", async () => {
        const text = note.value.trim();
        const sealed = text ? await session.sealItem("pause-note", { text }) : null;
        session.notebook = await session.api.pause({ minutes, note: sealed });
      });
      close();
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  });
}

/** The card both see while a pause lasts; null when nobody has asked for time. */
export function pauseCard({ session, journal, people, onRenew, onDone }) {
  const pause = session.activePause();
  if (!pause) return null;
  const mine = pause.by === session.record.memberId;
  const pauser = people.get(pause.by);
  const partner = people.get(session.partner()?.id);
  const note = journal.pauseNote;
  const here = journal.hereNote;
  const error = errorLine();
  const parts = [
    h("p", { class: "card__title", text: mine ? "You asked for time" : `${pauser?.name} asked for time` }),
    h("p", { class: "card__until", text: `until ${moment(pause.until)}` }),
  ];
  // Named "Time and space"; described by who asked and until when, on the reader's clock.
  parts[0].id = "pause-title";
  parts[1].id = "pause-until";
  if (note?.text) parts.push(quote(note.text, pauser?.hand));
  if (mine) {
    parts.push(
      h("p", {
        class: "quiet",
        text: pause.here
          ? `${partner?.name} answered: I’ll be here.`
          : `${partner?.name} has been told. They can read, but not add anything until then.`,
      }),
    );
    if (here?.text) parts.push(quote(here.text, partner?.hand));
    const ready = h("button", {
      type: "button",
      class: "button button--primary",
      text: "I’m ready to talk",
      onclick: () => act(ready, "Telling them…", () => session.api.ready()),
    });
    const more = h("button", { type: "button", class: "button", text: "I need longer", onclick: onRenew });
    parts.push(h("div", { class: "actions" }, ready, more));
  } else {
    parts.push(
      h("p", {
        class: "quiet",
        text: "Nothing can be added until then. You can read, and keep drafting below; your words will wait.",
      }),
    );
    parts.push(pause.here ? hereSaid(here, people.get(session.record.memberId)?.hand) : hereForm());
  }
  parts.push(error);
  const card = h("section", { class: "card card--pause", "aria-label": "Time and space" }, ...parts);
  card.setAttribute("aria-describedby", "pause-title pause-until");
  return card;

  async function act(button, busy, call) {
    try {
      await working(button, busy, async () => {
        session.notebook = await call();
      });
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  }

  function hereForm() {
    const words = h("textarea", {
      id: "here-note",
      class: "field__input here__note",
      rows: "2",
      maxlength: "2000",
      placeholder: "Whenever you’re ready to talk…",
    });
    const send = h("button", { type: "submit", class: "button button--primary", text: "I’ll be here" });
    return h(
      "form",
      {
        class: "here",
        onsubmit: (event) => {
          event.preventDefault();
          act(send, "Sealing…", async () => {
            const text = words.value.trim();
            const sealed = text ? await session.sealItem("here-note", { text }) : null;
            return session.api.beHere({ note: sealed });
          });
        },
      },
      h("label", { for: words.id, class: "field__label", text: "A word back (optional)" }),
      words,
      h("div", { class: "actions" }, send),
    );
  }
}

function hereSaid(here, hand) {
  return h(
    "div",
    { class: "here here--said" },
    h("p", { class: "quiet", text: "You said you’ll be here." }),
    here?.text ? quote(here.text, hand) : null,
  );
}

function quote(text, hand) {
  const words = h("q", { class: "card__quote", text });
  applyHand(words, hand);
  return h("p", { class: "card__words" }, words);
}
