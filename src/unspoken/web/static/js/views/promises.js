// Promises and agreements: the page that lists them with their history, and the sheets that
// make them. Every text is opened and verified here; an agreement shows as agreed only when
// both partners' signatures verify on this device — whatever the server says.

import { h } from "../dom.js";
import { applyHand } from "../hands.js";
import { newId } from "../protocol/encoding.js";
import { cancelButton, openDialog } from "./dialog.js";
import { errorLine, showError, working } from "./frame.js";
import { clock, longDate } from "./when.js";

const STATES = {
  made: "Waiting to be acknowledged",
  acknowledged: "Acknowledged",
  kept: "Kept",
  broken: "Broken",
  released: "Released",
  withdrawn: "Withdrawn",
};
const HISTORY = {
  "promise.made": "Made",
  "promise.acknowledged": "Acknowledged",
  "promise.withdrawn": "Withdrawn",
  "promise.marked": "Marked",
};

/** A sheet with one text to seal: a promise, or an agreement to propose. */
function textSheet({ title, intro, label, placeholder, action, busy, send, onDone }) {
  const error = errorLine();
  const words = h("textarea", { id: "commitment", class: "field__input", rows: "3", maxlength: "4000", placeholder });
  const go = h("button", { type: "submit", class: "button button--primary", text: action });
  const form = h(
    "form",
    { class: "commitment-sheet" },
    h("p", { class: "quiet", text: intro }),
    h("div", { class: "field" }, h("label", { for: words.id, class: "field__label", text: label }), words),
    error,
  );
  const { close } = openDialog({ title }, form);
  form.append(h("div", { class: "actions" }, go, cancelButton(close)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = words.value.trim();
    if (!text) return showError(error, new Error("Write the words first."));
    try {
      await working(go, busy, () => send(text));
      close();
      await onDone();
    } catch (failure) {
      showError(error, failure);
    }
  });
}

export function openPromiseSheet({ session, partnerName, onDone }) {
  textSheet({
    title: "Make a promise",
    intro: `${partnerName} acknowledges it; later they can mark it kept, broken or released. You can withdraw it only until they acknowledge it.`,
    label: `What you promise ${partnerName}`,
    placeholder: "I promise…",
    action: "Make this promise",
    busy: "Sealing…",
    send: async (text) => {
      const item = await session.sealItem("promise", { text }, { itemId: newId() });
      return session.api.promise(item);
    },
    onDone,
  });
}

export function openAgreeSheet({ session, partnerName, onDone }) {
  textSheet({
    title: "Agree together",
    intro: `One text, signed by you now and by ${partnerName} when they agree. It shows as agreed only once both signatures verify.`,
    label: "What you agree to",
    placeholder: "Let’s…",
    action: "Sign and propose",
    busy: "Signing…",
    send: async (text) => session.api.propose(await session.sealItem("agreement", { text })),
    onDone,
  });
}

/** The promises page: {element, reload()}. */
export function promisesPanel({ session, people }) {
  const promises = h("div", { class: "commitments" });
  const agreements = h("div", { class: "commitments" });
  const element = h(
    "section",
    { class: "promises", "aria-label": "Promises and agreements" },
    h("h2", { class: "section-title", text: "Agreements" }),
    agreements,
    h("h2", { class: "section-title", text: "Promises" }),
    promises,
  );
  const me = session.record.memberId;
  const name = (id) => (id === me ? "you" : (people.get(id)?.name ?? "your partner"));
  const Name = (id) => (id === me ? "You" : (people.get(id)?.name ?? "Your partner"));

  async function reload() {
    const [p, a] = await Promise.all([session.api.promises(), session.api.agreements()]);
    const promiseCards = await Promise.all(p.promises.map(promiseCard));
    const agreementCards = await Promise.all(a.agreements.map(agreementCard));
    promises.replaceChildren(...(promiseCards.length ? promiseCards.reverse() : [empty("No promises yet.")]));
    agreements.replaceChildren(...(agreementCards.length ? agreementCards.reverse() : [empty("Nothing agreed yet.")]));
  }

  function empty(text) {
    return h("p", { class: "quiet commitments__empty", text });
  }

  async function promiseCard(raw) {
    let text = null;
    try {
      if (raw.text.id !== raw.id) throw new Error("its text belongs elsewhere");
      text = (await session.openItem("promise", raw.text, { from: raw.by })).text;
    } catch (error) {
      return problemCard(`A promise that does not verify: ${error.message}.`);
    }
    const error = errorLine();
    const history = h("ol", { class: "history" });
    for (const record of raw.history ?? []) history.append(await historyLine(raw, record));
    const card = h(
      "article",
      { class: `commitment commitment--${raw.state}`, "data-promise": raw.id },
      h("p", { class: "commitment__state", text: STATES[raw.state] ?? raw.state }),
      quote(text, people.get(raw.by)?.hand),
      h("p", {
        class: "commitment__who",
        text: `${Name(raw.by)} promised ${name(raw.to)} · ${longDate(raw.made_at)}`,
      }),
      history,
      promiseActions(raw, error),
      error,
    );
    return card;
  }

  async function historyLine(raw, record) {
    let what = HISTORY[record.kind] ?? record.kind;
    if (record.kind === "promise.marked") what = `Marked ${record.outcome}`;
    const line = h(
      "li",
      {},
      h("span", { text: `${what} by ${name(record.member)}` }),
      " · ",
      h("time", { datetime: record.at, text: `${longDate(record.at)}, ${clock(record.at)}` }),
    );
    if (record.note) {
      try {
        const note = await session.openItem("promise-note", record.note, { ref: raw.id, from: record.member });
        line.append(quote(note.text, people.get(record.member)?.hand));
      } catch {
        line.append(h("p", { class: "entry__problem", text: "A note that does not verify." }));
      }
    }
    return line;
  }

  function promiseActions(raw, error) {
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
      actions.append(act("Acknowledge", "Acknowledging…", () => session.api.promiseAction(raw.id, "acknowledge"), true));
    }
    if (raw.by === me && raw.state === "made") {
      actions.append(act("Withdraw it", "Withdrawing…", () => session.api.promiseAction(raw.id, "withdraw")));
    }
    if (raw.to === me && ["acknowledged", "kept", "broken"].includes(raw.state)) {
      const note = h("textarea", { class: "field__input", rows: "2", maxlength: "2000", "aria-label": "A note (optional)", placeholder: "A note (optional)" });
      const mark = (outcome, text) =>
        act(text, "Sealing…", async () => {
          const words = note.value.trim();
          const sealed = words ? await session.sealItem("promise-note", { text: words }, { ref: raw.id }) : null;
          return session.api.promiseAction(raw.id, "mark", { outcome, note: sealed });
        });
      const marks = [raw.state !== "kept" && mark("kept", "Kept"), raw.state !== "broken" && mark("broken", "Broken"), mark("released", "Release it")];
      actions.append(
        h(
          "details",
          { class: "mark" },
          h("summary", { text: "Mark this promise" }),
          note,
          h("div", { class: "actions" }, ...marks.filter(Boolean)),
        ),
      );
    }
    return actions.childElementCount ? actions : null;
  }

  async function agreementCard(raw) {
    let text;
    try {
      text = (await session.openItem("agreement", raw.text, { from: raw.proposer })).text;
    } catch (error) {
      return problemCard(`An agreement that does not verify: ${error.message}.`);
    }
    const signers = await session.agreementSigners(raw.text, raw.signatures);
    const agreed = signers.size === 2 && signers.has(me) && signers.has(raw.proposer);
    const error = errorLine();
    const status = agreed
      ? `Agreed by both of you · ${longDate(raw.agreed_at ?? raw.proposed_at)}`
      : raw.state === "agreed"
        ? "The server says agreed, but both signatures do not verify on this device."
        : raw.proposer === me
          ? `Waiting for ${name(session.partner()?.id)} to agree.`
          : `${Name(raw.proposer)} signed. It is agreed once you sign too.`;
    const card = h(
      "article",
      { class: `commitment commitment--agreement${agreed ? " commitment--agreed" : ""}`, "data-agreement": raw.id },
      h("p", { class: "commitment__state", text: agreed ? "Agreed" : "Proposed" }),
      quote(text, null),
      h("p", { class: "commitment__who", text: `Proposed by ${name(raw.proposer)} · ${longDate(raw.proposed_at)}` }),
      h("p", { class: agreed ? "commitment__seal" : "quiet", text: status }),
    );
    if (!agreed && raw.state === "proposed" && raw.proposer !== me) {
      const sign = h("button", {
        type: "button",
        class: "button button--primary",
        text: "Agree and sign",
        onclick: async () => {
          try {
            await working(sign, "Signing…", async () => session.api.sign(raw.id, await session.coSign(raw.text)));
            await reload();
          } catch (failure) {
            showError(error, failure);
          }
        },
      });
      card.append(h("div", { class: "actions" }, sign), error);
    }
    return card;
  }

  return { element, reload };
}

function problemCard(text) {
  return h("article", { class: "commitment entry--unverified" }, h("p", { class: "entry__problem", text }));
}

function quote(text, hand) {
  const words = h("q", { class: "commitment__text", text });
  if (hand) applyHand(words, hand);
  return h("p", { class: "commitment__words" }, words);
}
