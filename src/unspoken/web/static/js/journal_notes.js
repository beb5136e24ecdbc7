// The rules' records as notes in the notebook's margin: who asked for time, who promised what,
// which chapter began. Their sealed words are opened and verified here; one that fails to verify
// is kept with its problem, never shown as if it were genuine.

import { KIND, KINDS, is } from "./protocol/records.js";

// The item kind of the words sealed in a record's field (static/vocabulary/records.json).
const sealedAs = (record, field) => KINDS[record.kind].sealed[field];

/** The margin note for a record, or null for records the pages need not show. */
export async function openNote(journal, record) {
  // A crossing-out shows on its line, a pen passed in the foot: only an act the log refused gets
  // a note then, saying the server shows what its author's device did not sign, so that the
  // notebook's warning always points at the place it means.
  const refused = Boolean(journal.log.act?.problem);
  if (!is(record.kind, "note") && !refused) return null;
  if (record.kind === KIND.PAUSE_ENDED && record.reason === "left") return null; // the goodbye says it
  const note = {
    kind: record.kind,
    seq: record.seq,
    at: record.at,
    member: record.member,
    chapter: record.chapter ?? journal.chapter,
    record,
    text: null,
    textBy: record.member,
    problem: null,
  };
  try {
    await open(journal, record, note);
  } catch (error) {
    note.problem = error.message;
  }
  return note;
}

async function open(journal, record, note) {
  const session = journal.session;
  const text = async (kind, item, ref = "") =>
    item ? (await session.openItem(kind, item, { ref, from: record.member })).text : null;
  switch (record.kind) {
    case KIND.PAUSE_STARTED:
    case KIND.PAUSE_RENEWED:
      note.text = await text(sealedAs(record, "note"), record.note);
      journal.pauseNote = note;
      if (record.kind === KIND.PAUSE_STARTED) journal.hereNote = null;
      return;
    case KIND.PAUSE_HERE:
      note.text = await text(sealedAs(record, "note"), record.note);
      journal.hereNote = note;
      return;
    case KIND.PROMISE_MADE:
      if (record.text.id !== record.promise) throw new Error("a promise's text is misplaced");
      note.text = await text(sealedAs(record, "text"), record.text);
      journal.promiseTexts.set(record.promise, { text: note.text, by: record.member });
      return;
    case KIND.PROMISE_ACKNOWLEDGED:
    case KIND.PROMISE_WITHDRAWN:
    case KIND.PROMISE_MARKED: {
      const promise = journal.promiseTexts.get(record.promise);
      note.text = promise?.text ?? null;
      note.textBy = promise?.by;
      if (record.note) note.markNote = await text(sealedAs(record, "note"), record.note, record.promise);
      return;
    }
    case KIND.AGREEMENT_PROPOSED:
      note.text = await text(sealedAs(record, "text"), record.text);
      journal.agreementTexts.set(record.agreement, { item: record.text, proposer: record.member });
      return;
    case KIND.AGREEMENT_REVISED:
      // Other words replace the text: the signatures after this are over them.
      note.text = await text(sealedAs(record, "text"), record.text);
      journal.agreementTexts.set(record.agreement, { item: record.text, proposer: record.member });
      return;
    case KIND.AGREEMENT_DECLINED: {
      const proposed = journal.agreementTexts.get(record.agreement);
      if (proposed) {
        note.text = (await session.openItem(KINDS[KIND.AGREEMENT_PROPOSED].sealed.text, proposed.item, { from: proposed.proposer })).text;
        note.textBy = proposed.proposer;
      }
      if (record.note) note.markNote = await text(sealedAs(record, "note"), record.note, record.agreement);
      return;
    }
    case KIND.AGREEMENT_SIGNED:
      return openSignature(journal, record, note);
    case KIND.CHAPTER_OPENED: {
      const meta = await session.openItem(sealedAs(record, "meta"), record.meta, {
        ref: String(record.chapter),
        from: record.member,
      });
      if (meta.mirror !== record.mirror) {
        throw new Error("the server shows another mirror choice than the chapter's");
      }
      note.text = meta.title;
      note.meta = meta;
      return;
    }
  }
}

/** Agreed only when the proposer's and the co-signer's signatures both verify here. */
async function openSignature(journal, record, note) {
  const proposed = journal.agreementTexts.get(record.agreement);
  if (!proposed) throw new Error("a signature for an agreement this device has not seen");
  const { item, proposer } = proposed;
  const kind = KINDS[KIND.AGREEMENT_PROPOSED].sealed.text;
  note.text = (await journal.session.openItem(kind, item, { from: proposer })).text;
  note.textBy = proposer;
  const signers = await journal.session.agreementSigners(item, [
    { member: proposer, device: item.device, sig: item.sig },
    { member: record.member, device: record.device, sig: record.sig },
  ]);
  note.agreed = signers.size === 2;
  if (!note.agreed) throw new Error("the two signatures of this agreement do not both verify");
}
