// The notebook's pages as this device has verified them. Records are applied strictly in order,
// once each (by seq); every entry's signature, place in the chain and seal are checked, and an
// entry that fails is kept as a visible warning instead of being shown or silently dropped.
// The rules' records (pauses, promises, chapters…) join the pages as notes in the margin, their
// sealed words opened and verified here (journal_notes.js).

import { ApiError } from "./api.js";
import { Log, promiseState } from "./log.js";
import { b64encode, newId } from "./protocol/encoding.js";
import { sealEntry } from "./protocol/messages.js";
import { KIND, REFUSALS, is } from "./protocol/records.js";
import { openNote } from "./journal_notes.js";

const CATCH_UP_PAGE = 500;
const RESEAL_ATTEMPTS = 3;

export class Journal {
  constructor(session, onChange) {
    this.session = session;
    this.onChange = onChange;
    // Seq order, the chain, epochs and the pen, followed as the Python SDK follows them.
    this.log = new Log({
      notebookId: session.id,
      keyring: () => session.keyring,
      registry: session.registry,
      signedFrom: () => session.record.signedFrom ?? 0,
    });
    // The acts this device signs name the log as this journal has followed it; the promises
    // page shows a promise's state only as the acts this log checked say it.
    session.seen = () => this.log.digest.seen();
    session.vouched = (promise, asOf) => this.checkedPromise(promise, asOf);
    session.agreementWords = (agreement, asOf) => this.agreementWords(agreement, asOf);
    session.leftOut = (subject, listed, asOf) => this.leftOut(subject, listed, asOf);
    session.followed = () => this.log;
    this.entries = [];
    // Entries and rule notes, in seq order: what the pages show.
    this.timeline = [];
    // The standing pause's note and the partner's answer.
    this.pauseNote = null;
    this.hereNote = null;
    // Promise and agreement texts by id, opened once, for the notes that name them later.
    this.promiseTexts = new Map();
    this.agreementTexts = new Map();
    // The acts on each promise and agreement this log took, by the item's id, oldest first: a
    // listing must show them whole (the server could hide a withdrawal or a mark by leaving it out).
    this.acted = new Map();
    this.dirty = false;
    this.changed = false;
    // Why a device or key record was refused, once one is: the view shows its warning.
    this.untrusted = null;
    this.queue = Promise.resolve();
    // keep(record) is told of each record applied from the server (js/local_copy.js).
    this.keep = () => {};
  }

  get lastSeq() {
    return this.log.lastSeq;
  }

  get head() {
    return this.log.head;
  }

  get pen() {
    return this.log.pen;
  }

  get chapter() {
    return this.log.chapter;
  }

  get knock() {
    return this.log.knock;
  }

  /** Apply records kept on this device (offline), in order; nothing is fetched. */
  restore(records) {
    const run = this.queue
      .then(async () => {
        for (const record of records) await this.apply(record, { fillGaps: false, kept: true });
      })
      .then(() => (this.changed = false));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Apply one record after everything queued before it; safe to call from several sources. */
  receive(record) {
    this.queue = this.queue
      .then(() => this.apply(record))
      .then(() => this.settle())
      .catch((error) => {
        // A lost connection only delays the notebook's refresh (the next settle retries it).
        if (error instanceof TypeError && /fetch/i.test(error.message)) console.warn("notebook not refreshed yet", error);
        else console.error("could not apply record", record.seq, error);
      });
    return this.queue;
  }

  /** Fetch and apply every record the server has after the last one applied. */
  catchUp() {
    const run = this.queue.then(() => this.fetchMissing()).then(() => this.settle());
    // The queue must survive a failed fetch, or later records would never be applied.
    this.queue = run.catch(() => {});
    return run;
  }

  /** After a batch of records: fetch the notebook once if they changed it, then tell the view. */
  async settle() {
    if (this.dirty) {
      // Cleared only once fetched, so a fetch lost to the network is retried at the next settle.
      await this.session.refresh();
      this.dirty = false;
    }
    if (this.changed) {
      this.changed = false;
      this.onChange();
    }
  }

  /** Apply the server's records after the last one applied, up to `until` (a seq). */
  async fetchMissing(until = Infinity) {
    for (;;) {
      const before = this.lastSeq;
      const page = await this.session.api.records(before, CATCH_UP_PAGE);
      const wanted = page.records.filter((record) => record.seq <= until);
      for (const record of wanted) await this.apply(record, { fillGaps: false });
      const done = this.lastSeq >= Math.min(page.head_seq, until);
      if (done || this.lastSeq === before || wanted.length < page.records.length) return;
    }
  }

  /**
   * A gap in seq means records we have not seen: fetch them first. If the server will not
   * supply them, go on: the log names the gap on the entry after it, never hides it.
   */
  async apply(record, { fillGaps = true, kept = false } = {}) {
    if (this.log.place(record) === "old") return;
    if (fillGaps && this.log.place(record) === "gap") {
      await this.fetchMissing(record.seq - 1);
      if (this.log.place(record) === "old") return;
    }
    this.changed = true;
    if (!kept) this.keep(record);
    if (is(record.kind, "refreshes")) this.dirty = true;
    const entry = await this.log.take(record);
    if (entry) {
      this.entries.push(entry);
      this.timeline.push(entry);
      // In a mirror-before-reply chapter every entry moves who owes a restatement.
      if (this.session.notebook.mirror) this.dirty = true;
      return;
    }
    if (record.kind === KIND.PAUSE_ENDED) this.pauseNote = this.hereNote = null;
    // An act its author's device did not sign, or signed over another history, is not obeyed
    // (the log did not follow it) and its note says why instead of showing it as theirs.
    const refusedAct = this.log.act?.problem ?? null;
    if (refusedAct) this.untrusted ??= refusedAct;
    else if (is(record.kind, "commitment")) this.actedOn(record);
    const problem = refusedAct ?? (await this.followKeys(record));
    const note = await openNote(this, record);
    if (note) {
      note.problem = problem ?? note.problem;
      // Its line must not say what it claims: the partner's device never signed that.
      note.refused = refusedAct !== null;
      this.timeline.push(note);
    }
  }

  /**
   * Devices and key epochs, in log order: a device is trusted from the record that certified
   * it; a new epoch's key is fetched before anything sealed in it. Returns a problem, or null.
   */
  async followKeys(record) {
    try {
      if (is(record.kind, "trust")) {
        await this.session.registry.apply(record);
        this.devicesChanged = true;
      } else if (record.kind === KIND.EPOCH_STARTED) {
        await this.session.registry.apply(record);
        if (!this.session.keyring.has(record.epoch)) await this.session.syncKeys();
      }
    } catch (error) {
      // A device or key the log cannot vouch for: the notebook says it cannot be trusted.
      this.untrusted = error.message;
      return error.message;
    }
    return null;
  }

  /**
   * Seal and append text; if the partner wrote first, catch up and seal again on top.
   * `mirror` marks a restatement of the partner's words (mirror-before-reply). The outbox
   * passes its own `entryId`, kept across retries, so the server stores the entry once.
   * `ink`, for an entry written by hand, is its strokes, sealed with `text` (their transcript).
   */
  async write(text, { mirror = false, entryId = newId(), ink = null } = {}) {
    for (let attempt = 1; ; attempt++) {
      await this.queue;
      const place = {
        notebookId: this.session.id,
        chapter: this.log.chapter,
        entryId,
        prev: this.head,
      };
      const sealed = await sealEntry(
        this.session.keyring,
        this.session.device,
        place,
        text,
        undefined,
        { mirror, seen: this.log.digest.seen(), ...(ink ? { ink } : {}) },
      );
      try {
        await this.session.api.append({
          id: entryId,
          chapter: place.chapter,
          prev: b64encode(place.prev),
          ct: b64encode(sealed.box),
          sig: b64encode(sealed.sig),
          ...(mirror ? { mirror: true } : {}),
        });
      } catch (error) {
        const behind = error instanceof ApiError && error.status === 409 && error.problem.head;
        const newKeys = error instanceof ApiError && error.status === 409 && "epoch" in error.problem;
        // Sealed again after an attempt the server stored but whose answer was lost: the id
        // is taken by that first sealing, which is this entry.
        const taken = error instanceof ApiError && error.status === 409 && error.problem.type?.endsWith(":id-in-use");
        if (taken) {
          await this.catchUp();
          if (this.has(entryId)) return;
        }
        if (!(behind || newKeys) || attempt >= RESEAL_ATTEMPTS) throw error;
        await this.catchUp();
        if (newKeys) await this.session.syncKeys();
        continue;
      }
      // The entry is stored: a catch-up lost now (the server went away) must not make it look
      // unsent. The stream, or the next catch-up, brings it to the page.
      return this.catchUp().catch(() => {});
    }
  }

  /** Remember an act on a promise or an agreement, once the log took it. */
  actedOn(record) {
    const id = String(record.promise ?? record.agreement);
    if (!this.acted.has(id)) this.acted.set(id, []);
    this.acted.get(id).push(record);
  }

  /**
   * Whether a listing of `subject`s ("promise", "agreement") leaves out one this log took an
   * act on by `asOf`: the server hiding a whole promise or agreement.
   */
  leftOut(subject, listed, asOf) {
    const shown = new Set(listed.map((item) => item.id));
    return [...this.acted].some(([id, acts]) => !shown.has(id) && acts[0].kind.startsWith(`${subject}.`) && acts[0].seq <= asOf);
  }

  /**
   * The part of a listed promise's or agreement's history this log has reached, once it is
   * exactly the acts the log took for that item: each one an act the log checked there, for
   * this item, and none the log took by `asOf` (where it stood when the listing was asked for)
   * left out. Throws otherwise: the server changed or hid what a partner did.
   */
  async checkedHistory(item, asOf) {
    const taken = this.acted.get(item.id) ?? [];
    const takenAt = new Set(taken.map((record) => record.seq));
    const reached = (item.history ?? []).filter((record) => record.seq <= this.lastSeq);
    for (const record of reached) {
      if (!takenAt.has(record.seq) || !(await this.log.vouches(record))) throw new Error(REFUSALS.unsigned);
    }
    const shown = new Set(reached.map((record) => record.seq));
    if (taken.some((record) => record.seq <= asOf && !shown.has(record.seq))) throw new Error(REFUSALS.left_out);
    return reached;
  }

  /**
   * A listed promise as the acts this log has reached say it: {state (null when it has not
   * reached the promise yet), history (those acts, oldest first: the only ones to show)};
   * throws when that history is not the acts the log took for it (checkedHistory). `asOf`:
   * where the log stood when the listing was asked for.
   */
  async checkedPromise(promise, asOf = this.lastSeq) {
    const history = await this.checkedHistory(promise, asOf);
    return { state: history.length ? promiseState(history) : null, history };
  }

  /**
   * An agreement's current words as the acts this log checked say them: {text (the item's id),
   * proposer, notYet (the "not yet" record said to those words, or null)}; null while the pages
   * have not reached every act of its history yet. Throws as checkedPromise does.
   */
  async agreementWords(agreement, asOf = this.lastSeq) {
    const history = agreement.history ?? [];
    const reached = await this.checkedHistory(agreement, asOf);
    if (!history.length || reached.length < history.length) return null;
    let words = null;
    for (const record of reached) {
      if (record.kind === KIND.AGREEMENT_PROPOSED || record.kind === KIND.AGREEMENT_REVISED) {
        words = { text: record.text?.id, proposer: record.member, notYet: null };
      } else if (record.kind === KIND.AGREEMENT_DECLINED && words) {
        words.notYet = record;
      }
    }
    return words;
  }

  /** Whether an entry with this id is already on the pages (stored by the server). */
  has(entryId) {
    return this.entries.some((entry) => entry.id === entryId);
  }
}
