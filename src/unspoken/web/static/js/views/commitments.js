// The promises page: every promise and agreement with its history. Every text is opened and
// verified here; an agreement shows as agreed only when both partners' signatures verify on
// this device, whatever the server says. Each card is a function of what the server listed.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { t } from "../i18n.js";
import { KIND, REFUSALS } from "../protocol/records.js";
import { errorLine, reasonWords, showError, working } from "./frame.js";
import { dateTime, longDate } from "./when.js";

const STATES = {
  made: "promises.state_made",
  acknowledged: "promises.state_acknowledged",
  kept: "promises.state_kept",
  broken: "promises.state_broken",
  released: "promises.state_released",
  withdrawn: "promises.state_withdrawn",
};
// Each step of a promise's history as a whole phrase, for "you" and for a name.
const HISTORY = {
  [KIND.PROMISE_MADE]: ["promises.made_by_you", "promises.made_by"],
  [KIND.PROMISE_ACKNOWLEDGED]: ["promises.acknowledged_by_you", "promises.acknowledged_by"],
  [KIND.PROMISE_WITHDRAWN]: ["promises.withdrawn_by_you", "promises.withdrawn_by"],
  kept: ["promises.marked_kept_by_you", "promises.marked_kept_by"],
  broken: ["promises.marked_broken_by_you", "promises.marked_broken_by"],
  released: ["promises.marked_released_by_you", "promises.marked_released_by"],
};

/**
 * How many wait for this partner: promises made to them not yet acknowledged, and agreements
 * the other signed that they have not, as the cards drawn say (each marks itself `waits` from
 * what this device checked; a card that does not verify waits for nothing).
 */
export function waitingFor(cards) {
  return cards.filter((card) => card.dataset.waits === "yes").length;
}

/**
 * The promises page: {element, reload()}; the one thing it holds is what it shows.
 * `onWaiting(count)` hears, after each reload, how many wait for this partner.
 */
export function promisesPanel({ session, people, onWaiting = () => {} }) {
  const promises = h("div", { class: "commitments" });
  const agreements = h("div", { class: "commitments" });
  const element = h(
    "section",
    { class: "promises", "aria-label": t("promises.label") },
    h("h2", { class: "section-title", text: t("promises.agreements") }),
    agreements,
    h("h2", { class: "section-title", text: t("promises.promises") }),
    promises,
  );
  const me = session.record.memberId;
  const name = (id) => people.get(id)?.name ?? t("common.your_partner");
  const Name = (id) => people.get(id)?.name ?? t("common.your_partner_capital");
  // A phrase about someone: the first key when it is this partner, the second with a name.
  const about = (id, [mine, theirs], vars = {}) => (id === me ? t(mine, vars) : t(theirs, { name: name(id), ...vars }));

  // Each agreement's card as last shown: kept while the pages have not reached its newest acts.
  const shown = new Map();
  const view = { session, people, me, name, Name, about, reload, shown };
  // Reloads may overlap (an action's, the live stream's): only the latest begun is shown.
  let latest = 0;

  async function reload() {
    const mine = ++latest;
    // Where the pages stood when the lists were asked for: every act on an item they had
    // reached by then must be in its listed history.
    const asOf = session.followed().lastSeq;
    const [p, a] = await Promise.all([session.api.promises(), session.api.agreements()]);
    const promiseCards = (await Promise.all(p.promises.map((raw) => promiseCard(view, raw, asOf)))).filter(Boolean);
    const agreementCards = (await Promise.all(a.agreements.map((raw) => agreementCard(view, raw, asOf)))).filter(Boolean);
    // A whole promise or agreement the pages saw acted on, left out of the list, is said too.
    const leftOut = (subject, listed) => session.leftOut?.(subject, listed, asOf) ?? false;
    const hidden = (key) => problemCard(t(key, { reason: reasonWords(REFUSALS.left_out) }));
    if (leftOut("promise", p.promises)) promiseCards.push(hidden("promises.promise_unverified"));
    if (leftOut("agreement", a.agreements)) agreementCards.push(hidden("promises.agreement_unverified"));
    if (mine !== latest) return;
    for (const card of agreementCards) if (card.dataset.agreement) shown.set(card.dataset.agreement, card);
    promises.replaceChildren(...(promiseCards.length ? promiseCards.reverse() : [empty(t("promises.none"))]));
    agreements.replaceChildren(...(agreementCards.length ? agreementCards.reverse() : [empty(t("promises.nothing_agreed"))]));
    // Counted from the cards as this device checked them, never from the server's lists.
    onWaiting(waitingFor([...promiseCards, ...agreementCards]));
  }

  return { element, reload };
}

function empty(text) {
  return h("p", { class: "quiet commitments__empty", text });
}

/** A promise, its history and what this partner may do with it, as a function of `raw`. */
async function promiseCard(view, listed, asOf) {
  const { session, people, me, name, Name } = view;
  let text, raw;
  try {
    if (listed.text.id !== listed.id) throw new Error("its text belongs elsewhere");
    text = (await session.openItem("promise", listed.text, { from: listed.by })).text;
    // Its state is what the acts in its history say, as this device checked them; a promise
    // the pages have not reached yet waits for them.
    const checked = session.vouched ? await session.vouched(listed, asOf) : { state: listed.state, history: listed.history };
    if (checked.state === null) return null;
    // Only the acts checked are told: a record listed past the pages' reach is not shown as done.
    raw = { ...listed, state: checked.state, history: checked.history };
  } catch (error) {
    return problemCard(t("promises.promise_unverified", { reason: reasonWords(error.message) }));
  }
  const error = errorLine();
  const history = h("ol", { class: "history" });
  for (const record of raw.history ?? []) history.append(await historyLine(view, raw, record));
  const card = h(
    "article",
    { class: `commitment commitment--${raw.state}`, "data-promise": raw.id },
    h("p", { class: "commitment__state", text: STATES[raw.state] ? t(STATES[raw.state]) : raw.state }),
    quote(text, people.get(raw.by)?.hand),
    h("p", {
      class: "commitment__who",
      text: raw.by === me
        ? t("promises.you_promised", { name: name(raw.to), date: longDate(raw.made_at) })
        : t("promises.promised_you", { name: Name(raw.by), date: longDate(raw.made_at) }),
    }),
    history,
    promiseActions(view, raw, error),
    error,
  );
  if (raw.to === me && raw.state === "made") card.dataset.waits = "yes";
  return card;
}

async function historyLine(view, raw, record) {
  const { session, people, about } = view;
  const step = HISTORY[record.kind === KIND.PROMISE_MARKED ? record.outcome : record.kind];
  const line = h(
    "li",
    {},
    h("span", { text: step ? about(record.member, step) : record.kind }),
    " · ",
    h("time", { datetime: record.at, text: dateTime(record.at) }),
  );
  if (record.note) {
    try {
      const note = await session.openItem("promise-note", record.note, { ref: raw.id, from: record.member });
      line.append(quote(note.text, people.get(record.member)?.hand));
    } catch {
      line.append(h("p", { class: "entry__problem", text: t("promises.note_unverified") }));
    }
  }
  return line;
}

function promiseActions(view, raw, error) {
  const { session, me, reload } = view;
  const act = (text, busy, call, primary = false) => {
    const button = h("button", {
      type: "button",
      class: primary ? "button button--primary" : "button",
      text,
      onclick: async () => {
        try {
          await working(button, busy, call);
          await reload();
        } catch (failure) {
          showError(error, failure);
        }
      },
    });
    return button;
  };
  const actions = h("div", { class: "actions" });
  if (raw.to === me && raw.state === "made") {
    actions.append(act(t("promises.acknowledge"), t("promises.acknowledging"), () => session.api.promiseAction(raw.id, "acknowledge"), true));
  }
  if (raw.by === me && raw.state === "made") {
    actions.append(act(t("promises.withdraw"), t("promises.withdrawing"), () => session.api.promiseAction(raw.id, "withdraw")));
  }
  if (raw.to === me && ["acknowledged", "kept", "broken"].includes(raw.state)) {
    const note = h("textarea", { class: "field__input", rows: "2", maxlength: "2000", "aria-label": t("promises.note"), placeholder: t("promises.note") });
    const mark = (outcome, text) =>
      act(text, t("common.sealing"), async () => {
        const words = note.value.trim();
        const sealed = words ? await session.sealItem("promise-note", { text: words }, { ref: raw.id }) : null;
        return session.api.promiseAction(raw.id, "mark", { outcome, note: sealed });
      });
    const marks = [raw.state !== "kept" && mark("kept", t("promises.mark_kept")), raw.state !== "broken" && mark("broken", t("promises.mark_broken")), mark("released", t("promises.release"))];
    actions.append(
      h(
        "details",
        { class: "mark" },
        h("summary", { text: t("promises.mark") }),
        note,
        h("div", { class: "actions" }, ...marks.filter(Boolean)),
      ),
    );
  }
  return actions.childElementCount ? actions : null;
}

/**
 * An agreement, agreed only when both signatures verify here, as a function of `raw`. Its words,
 * their proposer and a "not yet" are what the checked acts of its history say; one the pages
 * have not reached yet waits for them.
 */
async function agreementCard(view, raw, asOf) {
  const { session, people, me, name, Name, about, shown } = view;
  let text, words, notYetNote = null;
  try {
    words = session.agreementWords ? await session.agreementWords(raw, asOf) : { text: raw.text.id, proposer: raw.proposer, notYet: null };
    if (words === null) return shown.get(raw.id) ?? null;
    if (words.text !== raw.text.id || words.proposer !== raw.proposer) throw new Error(REFUSALS.unsigned);
    text = (await session.openItem("agreement", raw.text, { from: raw.proposer })).text;
    const said = words.notYet;
    if (said?.note) notYetNote = (await session.openItem("agreement-note", said.note, { ref: raw.id, from: said.member })).text;
  } catch (error) {
    return problemCard(t("promises.agreement_unverified", { reason: reasonWords(error.message) }));
  }
  const signers = await session.agreementSigners(raw.text, raw.signatures);
  const agreed = signers.size === 2 && signers.has(me) && signers.has(raw.proposer);
  const notYet = !agreed && words.notYet ? words.notYet : null;
  const error = errorLine();
  const status = agreed
    ? t("promises.agreed_by_both", { date: longDate(raw.agreed_at ?? raw.proposed_at) })
    : raw.state === "agreed"
      ? t("promises.server_says_agreed")
      : notYet
        ? about(notYet.member, ["promises.not_yet_by_you", "promises.not_yet_by"])
        : raw.proposer === me
          ? t("promises.waiting_for", { name: name(session.partner()?.id) })
          : t("promises.signed_sign_too", { name: Name(raw.proposer) });
  const revised = (raw.history ?? []).some((record) => record.kind === KIND.AGREEMENT_REVISED);
  const card = h(
    "article",
    { class: `commitment commitment--agreement${agreed ? " commitment--agreed" : ""}${notYet ? " commitment--not-yet" : ""}`, "data-agreement": raw.id },
    h("p", { class: "commitment__state", text: agreed ? t("promises.agreed") : notYet ? t("promises.not_yet_state") : t("promises.proposed") }),
    quote(text, null),
    h("p", {
      class: "commitment__who",
      text: about(raw.proposer, revised ? ["promises.revised_by_you", "promises.revised_by"] : ["promises.proposed_by_you", "promises.proposed_by"], { date: longDate(raw.proposed_at) }),
    }),
    h("p", { class: agreed ? "commitment__seal" : "quiet commitment__status", text: status }),
  );
  if (notYetNote) card.append(quote(notYetNote, people.get(notYet.member)?.hand));
  if (!agreed && raw.state === "proposed") {
    const actions = agreementActions(view, raw, text, { waiting: raw.proposer !== me, notYet }, error);
    card.append(actions, error);
    if (raw.proposer !== me && !notYet) card.dataset.waits = "yes";
  }
  return card;
}

/**
 * What this partner may do with open words: sign them, say "not yet" (once, with a short sealed
 * note) and propose other words, when they wait for them; propose other words, when they are
 * their own.
 */
function agreementActions(view, raw, text, { waiting, notYet }, error) {
  const { session, reload } = view;
  const run = (button, busy, call) => async () => {
    try {
      await working(button, busy, call);
      await reload();
    } catch (failure) {
      showError(error, failure);
    }
  };
  const actions = h("div", { class: "actions agreement__choices" });
  if (waiting) {
    const sign = h("button", { type: "button", class: "button button--primary", text: t("promises.agree_sign") });
    sign.onclick = run(sign, t("promises.signing"), async () => session.api.sign(raw.id, await session.coSign(raw.text)));
    actions.append(sign);
  }
  const sheets = [];
  if (waiting && !notYet) {
    const note = h("textarea", { class: "field__input", rows: "2", maxlength: "500", "aria-label": t("promises.not_yet_note"), placeholder: t("promises.not_yet_note") });
    const send = h("button", { type: "button", class: "button", text: t("promises.not_yet_send") });
    send.onclick = run(send, t("common.sealing"), async () => {
      const words = note.value.trim();
      const sealed = words ? await session.sealItem("agreement-note", { text: words }, { ref: raw.id }) : null;
      return session.api.notYet(raw.id, sealed);
    });
    sheets.push(h("details", { class: "mark agreement__not-yet" }, h("summary", { text: t("promises.not_yet") }), note, h("div", { class: "actions" }, send)));
  }
  const other = h("textarea", { class: "field__input", rows: "3", maxlength: "2000", "aria-label": t("promises.other_words_label") });
  other.value = text;
  const propose = h("button", { type: "button", class: "button", text: t("promises.other_words_send") });
  propose.onclick = run(propose, t("common.sealing"), async () => {
    const words = other.value.trim();
    if (!words || words === text) throw new Error(t("promises.other_words_same"));
    return session.api.revise(raw.id, await session.sealItem("agreement", { text: words }));
  });
  sheets.push(
    h(
      "details",
      { class: "mark agreement__other-words" },
      h("summary", { text: t("promises.other_words") }),
      h("p", { class: "quiet", text: t("promises.other_words_intro") }),
      other,
      h("div", { class: "actions" }, propose),
    ),
  );
  return h("div", { class: "agreement__answers" }, actions.childElementCount ? actions : null, ...sheets);
}

function problemCard(text) {
  return h("article", { class: "commitment entry--unverified" }, h("p", { class: "entry__problem", text }));
}

function quote(text, hand) {
  const words = h("q", { class: "commitment__text", text });
  if (hand) applyHand(words, hand);
  return h("p", { class: "commitment__words" }, words);
}
