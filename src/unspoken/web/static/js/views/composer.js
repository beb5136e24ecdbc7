// The foot of the page while you may write: one composer that lives as long as the notebook
// is open, so a draft survives every change around it (a pause, the pen moving). Its label says
// what kind of writing this is now: your turn, a restatement first, or a draft that waits.
// Nothing typed is lost: the draft is sealed on this device as the writer pauses, and a written
// entry waits in the outbox until the server has it; a status line says which, plainly.
// A quiet toggle turns the page into a lined pad to write on by hand (js/ink/pad.js); the
// words typed beside the strokes are then their transcript, optional, which the gentle check
// reads and a screen reader hears.

import { h } from "../dom.js";
import { draftKeeper } from "../drafts.js";
import { attachGentleCheck } from "../gentle/hints.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { inkPad, joinInk } from "../ink/pad.js";
import { inkImage, inkLabel } from "../ink/render.js";
import { errorLine, showError, working } from "./frame.js";
import { draftSender, setWatchPreference, watchPreference } from "./watching.js";

const BY_HAND = "unspoken.by-hand.";

function byHandPreference(notebookId) {
  try {
    return localStorage.getItem(BY_HAND + notebookId) === "on";
  } catch {
    return false;
  }
}

function setByHandPreference(notebookId, on) {
  try {
    if (on) localStorage.setItem(BY_HAND + notebookId, "on");
    else localStorage.removeItem(BY_HAND + notebookId);
  } catch {
    // Private browsing may refuse storage: the choice then lasts until the page closes.
  }
}

const LABELS = {
  write: "composer.write_label",
  open: "composer.open_label",
  mirror: "composer.mirror_label",
};

/**
 * {element, set(state)}; state = {mode: "write" | "mirror" | "draft", open, why, step, turn,
 * knocked}.
 * "draft" keeps the words here while nothing can be sent (a pause; a restatement awaiting its
 * answer), and `why` says so. `turn` changes when a new turn begins (the pen comes back, a new
 * chapter opens, a restatement is answered or a pause ends and writing may go on): what the
 * composer said in the last one is let go.
 */
export function composer({ session, outbox, people, partnerName, onAskTime, onRefused }) {
  const error = errorLine();
  const status = h("p", { class: "composer__status", role: "status" });
  const waitingList = h("ol", { class: "outbox", "aria-label": t("composer.waiting_to_send"), hidden: true });
  const drafts = draftKeeper(session.id);
  const hand = people.get(session.record.memberId)?.hand;
  const myName = people.get(session.record.memberId)?.name ?? "";
  const step = h("div", { class: "composer__step", hidden: true });
  const label = h("label", { for: "draft", class: "composer__label" });
  const draft = h("textarea", {
    id: "draft",
    class: "composer__draft",
    rows: "3",
    maxlength: "20000",
    placeholder: t("composer.placeholder"),
    spellcheck: "true",
  });
  applyHand(draft, hand);
  // Writing by hand: the pad (in the writer's ink), its undo and clear, and the toggle.
  const pad = inkPad({ onChange: (strokes, ended) => inkChanged(strokes, ended) });
  applyHand(pad.element, hand);
  const byHand = h("button", {
    type: "button",
    class: "composer__by-hand",
    "aria-pressed": "false",
    text: t("ink.by_hand"),
  });
  const inking = () => byHand.getAttribute("aria-pressed") === "true";
  const write = h("button", { type: "submit", class: "button button--primary", disabled: true });
  const pass = h("button", {
    type: "button",
    class: "button",
    text: t("pen.pass", { name: partnerName }),
    onclick: async () => {
      error.hidden = true;
      try {
        // The pen waits in the outbox after every word written here, and passes once they have
        // reached the notebook: offline, it waits as writing does.
        await working(pass, t("pen.passing"), async () => {
          await outbox.passPen();
          showWaiting();
          update();
          await outbox.flush();
        });
      } catch (failure) {
        showError(error, failure);
      }
      update();
    },
  });
  const sender = draftSender(session);
  const watch = h("input", { type: "checkbox", id: "watch", class: "watch__input" });
  watch.checked = watchPreference(session.id);
  const watchRow = h(
    "label",
    { class: "watch", for: "watch" },
    watch,
    h("span", { text: t("composer.watch", { name: partnerName }) }),
  );
  let state = { mode: "write" };
  let look = composerLook(state, { hasPartner: Boolean(session.partner()) });
  const sending = () => state.mode !== "draft" && watch.checked;
  // The draft's description says whether the partner can watch it form.
  const watched = h("span", { id: "draft-watched", class: "visually-hidden" });
  draft.setAttribute("aria-describedby", watched.id);
  const sayWatched = () => {
    watched.textContent = sending() ? t("a11y.watched", { name: partnerName }) : "";
  };

  watch.addEventListener("change", () => {
    setWatchPreference(session.id, watch.checked);
    sayWatched();
    // Turning it off clears what the partner was watching; turning it on shows the draft.
    if (state.mode !== "draft") sender.update(watch.checked ? draft.value : "", watch.checked ? shownInk() : null);
  });

  // The strokes that go with the words: the pad's, while writing by hand.
  const shownInk = () => (inking() && !pad.empty ? pad.strokes() : null);
  function inkChanged(strokes, ended) {
    if (ended) {
      question.hidden = true;
      drafts.save(draft.value, strokes);
      update();
    }
    if (sending()) sender.update(draft.value, strokes.length ? strokes : null);
  }

  function showByHand(on) {
    byHand.setAttribute("aria-pressed", String(on));
    pad.element.hidden = !on;
    pad.tools.hidden = !on;
    draft.classList.toggle("composer__draft--transcript", on);
    draft.rows = on ? 1 : 3;
    // Beside the strokes the words are their transcript: named so, and optional.
    if (on) draft.setAttribute("aria-label", t("ink.transcript_label"));
    else draft.removeAttribute("aria-label");
    draft.placeholder = on ? t("ink.transcript_placeholder") : look.placeholder;
    update();
  }
  byHand.addEventListener("click", () => {
    const on = !inking();
    setByHandPreference(session.id, on);
    showByHand(on);
    if (sending()) sender.update(draft.value, shownInk());
  });

  // A hint still open at the moment of sending: asked once, quietly, with two equal choices.
  // It never blocks: either choice, or pressing send again, is the writer's to make.
  let asked = false;
  const sendAsIs = h("button", { type: "button", class: "button", text: t("composer.send_as_is") });
  const lookAgain = h("button", { type: "button", class: "button", text: t("composer.look_again") });
  const question = h(
    "div",
    { class: "composer__ask", role: "group", "aria-labelledby": "composer-ask", hidden: true },
    h("p", { id: "composer-ask", class: "composer__ask-text", role: "status", text: t("composer.hint_open") }),
    h("div", { class: "actions composer__ask-actions" }, sendAsIs, lookAgain),
  );
  // Only a rule's hint asks: the rules are precise, the learned model's guesses are not yet
  // (docs/gentle.md), and a guess must never stand between a writer and sending. The model's
  // hints still show under the draft.
  const shouldAsk = () => {
    if (asked || !gentle.enabled) return false;
    gentle.refresh();
    return gentle.findings.length > 0;
  };
  lookAgain.addEventListener("click", () => {
    question.hidden = true;
    draft.focus();
  });

  // Once the pen waits to pass, it has been passed: nothing more is written or passed here.
  const update = () => {
    const nothing = draft.value.trim() === "" && !shownInk();
    write.disabled = state.mode === "draft" || nothing || outbox.passing;
    pass.disabled = outbox.passing;
  };
  const oninput = (event) => {
    if (event.target === draft) question.hidden = true;
    update();
    drafts.save(draft.value, pad.empty ? null : pad.strokes());
    if (sending()) sender.update(draft.value, shownInk());
  };
  drafts.onSaved = (text) => {
    if (text && !outbox.items.length && status.textContent !== t("composer.saved")) {
      status.textContent = t("composer.saved");
    }
  };

  const showWaiting = () => {
    waitingList.hidden = outbox.items.length === 0;
    waitingList.replaceChildren(...outbox.items.map((item) => waitingItem(item, hand, partnerName, myName)));
  };

  // What the outbox did, said plainly; words the server refused come back to the draft.
  outbox.onChange = ({ kind, item, error: failure }) => {
    showWaiting();
    update();
    if (kind === "waiting") {
      status.textContent = navigator.onLine
        ? t("composer.waiting_unreachable")
        : t("composer.waiting_offline");
    } else if (kind === "sent" && !outbox.items.length) {
      status.textContent = t("composer.sent");
      error.hidden = true;
    } else if (kind === "refused" && item.pass) {
      showError(error, failure);
    } else if (kind === "refused") {
      takeBack(item, failure);
    }
  };

  function takeBack(item, failure) {
    if (item.text) draft.value = draft.value.trim() ? `${item.text}\n\n${draft.value}` : item.text;
    // Strokes sent back go back on the pad, before any written since.
    if (item.ink?.length) {
      pad.set(joinInk(item.ink, pad.empty ? [] : pad.strokes()));
      if (!inking()) showByHand(true);
    }
    // Said after the keeping, so "Saved on this device" does not hide why.
    drafts.save(draft.value, pad.empty ? null : pad.strokes()).then(() => {
      status.textContent = t("composer.not_sent");
    });
    showError(error, failure);
    // The server's 409 names who holds the pen (the pen moved under us): say it by name.
    const holder = failure?.status === 409 ? failure.problem?.pen : null;
    if (holder) error.textContent = t("composer.has_pen_now", { name: people.get(holder)?.name ?? partnerName });
    // A pause is shown above, on this person's own clock; the server's UTC sentence adds nothing.
    if (failure?.problem?.pause) error.hidden = true;
    // A refusal means the notebook changed (a pause, the pen, a closed chapter): show it now.
    onRefused().catch(() => {});
    update();
  }

  const submit = async (event) => {
    event.preventDefault();
    const sent = draft.value;
    const text = sent.trim();
    const ink = shownInk();
    if ((!text && !ink) || state.mode === "draft") return;
    if (shouldAsk()) {
      asked = true;
      question.hidden = false;
      return;
    }
    question.hidden = true;
    error.hidden = true;
    try {
      const mirror = state.mode === "mirror";
      await working(write, t("common.sealing"), async () => {
        await outbox.add(text, ink ? { mirror, ink } : { mirror });
        // Words typed (or strokes drawn) while this one was being sealed stay, and stay kept.
        asked = false;
        if (ink && pad.strokes() === ink) pad.set([]);
        if (draft.value === sent) draft.value = "";
        if (!draft.value && pad.empty) await drafts.clear();
        else drafts.save(draft.value, pad.empty ? null : pad.strokes());
        sender.reset();
        gentle.refresh();
        await outbox.flush();
      });
    } catch (failure) {
      // Not even kept on this device (storage refused): the words are still in the draft.
      showError(error, failure);
    }
    update();
  };

  sendAsIs.addEventListener("click", submit);

  const onkeydown = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
  };

  const element = h(
    "form",
    { class: "composer", onsubmit: submit, oninput, onkeydown },
    // Written but not yet sent: they belong above the page being written, as pages do.
    waitingList,
    step,
    h("div", { class: "composer__head" }, label, byHand),
    pad.element,
    pad.tools,
    draft,
    status,
    error,
    question,
    h("div", { class: "actions composer__actions" }, write, pass),
    watchRow,
    watched,
  );
  // A friend's hand on the shoulder while writing: it reads the draft here, never blocks.
  // A closed door ("whatever") may really mean "I need a break": offer exactly that.
  const gentle = attachGentleCheck(draft, {
    extras: { stonewalling: { label: t("composer.ask_time_instead"), run: () => onAskTime() } },
  });

  // The draft this device kept (a reload, a crash, a closed tab) comes back as it was.
  drafts.load().then((kept) => {
    if ((!kept.text && !kept.ink) || draft.value || !pad.empty) return;
    draft.value = kept.text;
    if (kept.ink) {
      pad.set(kept.ink);
      showByHand(true);
    }
    status.textContent = t("composer.saved");
    update();
    gentle.refresh();
  });
  showWaiting();
  showByHand(byHandPreference(session.id));

  // A new turn (the pen back, a new chapter, a wait over) begins with nothing of the last one:
  // no error, no "Sent"; only what is true now (a kept draft, words still waiting) is said.
  function newTurn() {
    error.hidden = true;
    question.hidden = true;
    asked = false;
    error.textContent = "";
    if (outbox.items.length) return;
    status.textContent = draft.value ? t("composer.saved") : "";
  }

  function set(next) {
    const before = state.mode;
    if (state.turn !== undefined && next.turn !== state.turn) newTurn();
    state = next;
    look = composerLook(next, { hasPartner: Boolean(session.partner()) });
    label.textContent = look.label;
    draft.placeholder = inking() ? t("ink.transcript_placeholder") : look.placeholder;
    write.textContent = look.write;
    write.hidden = look.writeHidden;
    pass.hidden = look.passHidden;
    watchRow.hidden = look.watchHidden;
    step.hidden = !next.step;
    if (next.step) step.replaceChildren(...stepLines(next.step));
    if (before === "draft" && next.mode !== "draft" && sending()) sender.update(draft.value, shownInk());
    sayWatched();
    update();
  }

  // Leaving the screen (another route, a language chosen) loses nothing: every change to the
  // draft is already being kept as it is made.
  return { element, set };
}

/** What the composer says and shows for a state: its label, buttons, and what is hidden. */
export function composerLook({ mode, open, why, knocked }, { hasPartner }) {
  return {
    label: mode === "draft" ? why : t(LABELS[mode === "write" && open ? "open" : mode]),
    placeholder: mode === "mirror" ? t("composer.mirror_placeholder") : t("composer.placeholder"),
    write: mode === "mirror" ? t("composer.say_back") : t("composer.write"),
    writeHidden: mode === "draft",
    // While a knock's card shows, passing is offered there, once.
    passHidden: mode === "draft" || open || !hasPartner || Boolean(knocked),
    watchHidden: mode === "draft",
  };
}

/** A chapter template's step: its title and its prompt. */
function stepLines(step) {
  return [
    h("p", {
      class: "composer__step-title",
      text: t("composer.step", { number: step.number, of: step.of, title: step.title }),
    }),
    h("p", { class: "composer__step-prompt", text: step.prompt }),
  ];
}

/** An entry written but not yet sent, in the writer's hand; or the pen, waiting to pass. */
function waitingItem(item, hand, partnerName, myName) {
  const text = item.pass
    ? h("p", { class: "outbox__text outbox__text--pass", text: t("composer.pass_waiting", { name: partnerName }) })
    : item.ink?.length
      ? h("div", { class: "outbox__text" }, inkImage(item.ink, { label: inkLabel(myName, item.text) }))
      : h("p", { class: "outbox__text", text: item.text });
  if (!item.pass) applyHand(text, hand);
  return h("li", { class: "outbox__item" }, text, h("p", { class: "outbox__note", text: t("composer.waiting_to_send") }));
}

