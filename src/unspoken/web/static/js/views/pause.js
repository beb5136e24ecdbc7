// Time and space: the "I need time" sheet (20 minutes to 24 hours, an optional sealed note), and
// the card both partners see while a pause lasts — "I'll be here" for one, "I'm ready to talk"
// or more time for the other. Every time is shown on the reader's own clock.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { moment } from "./when.js";

export const MIN_MINUTES = 20;
export const MAX_MINUTES = 24 * 60;
const MORNING_HOUR = 8;
// Before this hour it is still the night before: "tomorrow morning" is the one coming, today.
const NIGHT_ENDS_HOUR = 5;

/**
 * Minutes from now until tomorrow morning, kept inside what a pause may last. Rounded up, so the
 * pause ends on the hour and not a minute before it (the seconds past are the server's to add).
 * After midnight and before dawn, the morning meant is the coming one, not the day after's.
 * @param {Date} [now]
 */
export function untilMorning(now = new Date()) {
  const days = now.getHours() < NIGHT_ENDS_HOUR ? 0 : 1;
  const morning = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, MORNING_HOUR);
  const minutes = Math.ceil((morning.getTime() - now.getTime()) / 60000);
  return Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, minutes));
}

function presets() {
  const morning = untilMorning();
  const at = new Date(Date.now() + morning * 60000).toISOString();
  return [
    { minutes: 20, text: t("pause.twenty_minutes") },
    { minutes: 60, text: t("pause.an_hour") },
    { minutes: 180, text: t("pause.three_hours") },
    // Counted again when asked for: the sheet may stay open a while.
    { minutes: morning, value: "morning", text: t("pause.until_morning"), aside: moment(at) },
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
    h("label", { for: custom.id, class: "field__label", text: t("pause.minutes_label") }),
    custom,
    h("p", { class: "field__hint", text: t("pause.minutes_hint") }),
  );
  const choices = [...presets(), { minutes: null, text: t("pause.another_length") }].map((preset, i) =>
    h(
      "label",
      { class: "choice choice--small" },
      h("input", {
        type: "radio",
        name: "pause-length",
        class: "choice__input",
        value: preset.value ?? preset.minutes ?? "custom",
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
    placeholder: t("pause.note_placeholder"),
  });
  const ask = h("button", {
    type: "submit",
    class: "button button--primary",
    text: renew ? t("pause.ask_more") : t("pause.ask"),
  });
  const form = h(
    "form",
    { class: "pause-sheet" },
    h("p", { class: "quiet", text: t("pause.intro", { name: partnerName }) }),
    h(
      "fieldset",
      { class: "fieldset" },
      h("legend", { class: "legend", text: t("pause.how_long") }),
      h("div", { class: "choices" }, choices),
    ),
    customField,
    h(
      "div",
      { class: "field" },
      h("label", {
        for: note.id,
        class: "field__label",
        text: t("pause.note_label", { name: partnerName }),
      }),
      note,
    ),
    error,
  );
  const { close } = openDialog({ title: renew ? t("pause.title_more") : t("pause.title") }, form);
  form.append(h("div", { class: "actions" }, ask, cancelButton(close)));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[name=pause-length]:checked").value;
    const minutes = picked === "morning" ? untilMorning() : Number(picked === "custom" ? custom.value : picked);
    if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      showError(error, new Error(t("pause.out_of_range")));
      return;
    }
    try {
      await working(ask, t("common.sealing"), async () => {
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
    h("p", { class: "card__title", text: mine ? t("pause.you_asked") : t("pause.asked", { name: pauser?.name }) }),
    h("p", { class: "card__until", text: t("pause.until", { moment: moment(pause.until) }) }),
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
          ? t("pause.here_answered", { name: partner?.name })
          : t("pause.told", { name: partner?.name }),
      }),
    );
    if (here?.text) parts.push(quote(here.text, partner?.hand));
    const ready = h("button", {
      type: "button",
      class: "button button--primary",
      text: t("pause.ready"),
      onclick: () => act(ready, t("common.telling_them"), () => session.api.ready()),
    });
    const more = h("button", { type: "button", class: "button", text: t("pause.longer"), onclick: onRenew });
    parts.push(h("div", { class: "actions" }, ready, more));
  } else {
    parts.push(
      h("p", {
        class: "quiet",
        text: t("pause.wait_text"),
      }),
    );
    parts.push(pause.here ? hereSaid(here, people.get(session.record.memberId)?.hand) : hereForm());
  }
  parts.push(error);
  const card = h("section", { class: "card card--pause", "aria-label": t("pause.label") }, ...parts);
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
      placeholder: t("pause.here_placeholder"),
    });
    const send = h("button", { type: "submit", class: "button button--primary", text: t("pause.be_here") });
    return h(
      "form",
      {
        class: "here",
        onsubmit: (event) => {
          event.preventDefault();
          act(send, t("common.sealing"), async () => {
            const text = words.value.trim();
            const sealed = text ? await session.sealItem("here-note", { text }) : null;
            return session.api.beHere({ note: sealed });
          });
        },
      },
      h("label", { for: words.id, class: "field__label", text: t("pause.word_back") }),
      words,
      h("div", { class: "actions" }, send),
    );
  }
}

function hereSaid(here, hand) {
  return h(
    "div",
    { class: "here here--said" },
    h("p", { class: "quiet", text: t("pause.you_said") }),
    here?.text ? quote(here.text, hand) : null,
  );
}

function quote(text, hand) {
  const words = h("q", { class: "card__quote", text });
  applyHand(words, hand);
  return h("p", { class: "card__words" }, words);
}
