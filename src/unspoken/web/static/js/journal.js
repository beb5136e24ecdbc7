// The notebook's pages as this device has verified them. Records are applied strictly in order,
// once each (by seq); every entry's signature, place in the chain and seal are checked, and an
// entry that fails is kept as a visible warning instead of being shown or silently dropped.
// The rules' records (pauses, promises, chapters…) join the pages as notes in the margin, their
// sealed words opened and verified here (journal_notes.js).

import { ApiError } from "./api.js";
import { epochOf } from "./protocol/box.js";
import { GENESIS } from "./protocol/chain.js";
import { b64decode, b64encode, bytesEqual, newId } from "./protocol/encoding.js";
import { openEntry, sealEntry } from "./protocol/messages.js";
import { openNote } from "./journal_notes.js";

const CATCH_UP_PAGE = 500;
const RESEAL_ATTEMPTS = 3;

// Records after which the server's notebook (pause, mode, chapters, mirror, members) changed.
const REFRESH_PREFIXES = ["member.", "profile.", "pause.", "mode.", "chapter.", "mirror.", "device.", "epoch."];

export class Journal {
  constructor(session, onChange) {
    this.session = session;
    this.onChange = onChange;
    this.entries = [];
    // Entries and rule notes, in seq order: what the pages show.
    this.timeline = [];
    this.head = GENESIS;
    this.lastEpoch = 0;
    this.lastSeq = 0;
    this.pen = null;
    this.chapter = 1;
    // The standing pause's note, the partner's answer, and a knock not yet answered.
    this.pauseNote = null;
    this.hereNote = null;
    this.knock = null;
    // Promise and agreement texts by id, opened once, for the notes that name them later.
    this.promiseTexts = new Map();
    this.agreementTexts = new Map();
    this.dirty = false;
    this.changed = false;
    this.queue = Promise.resolve();
    // keep(record) is told of each record applied from the server (js/local_copy.js).
    this.keep = () => {};
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
   * supply them, go on — a missing entry still shows, as the next entry's broken chain.
   */
  async apply(record, { fillGaps = true, kept = false } = {}) {
    if (record.seq <= this.lastSeq) return;
    if (fillGaps && record.seq > this.lastSeq + 1) {
      await this.fetchMissing(record.seq - 1);
      if (record.seq <= this.lastSeq) return;
    }
    this.lastSeq = record.seq;
    this.changed = true;
    if (!kept) this.keep(record);
    if (REFRESH_PREFIXES.some((prefix) => record.kind.startsWith(prefix))) this.dirty = true;
    if (record.kind === "entry") {
      const entry = await this.verify(record);
      this.entries.push(entry);
      this.timeline.push(entry);
      // In a mirror-before-reply chapter every entry moves who owes a restatement.
      if (this.session.notebook.mirror) this.dirty = true;
      return;
    }
    this.follow(record);
    const problem = await this.followKeys(record);
    const note = await openNote(this, record);
    if (note) {
      note.problem ??= problem;
      this.timeline.push(note);
    }
  }

  /**
   * Devices and key epochs, in log order: a device is trusted from the record that certified
   * it; a new epoch's key is fetched before anything sealed in it. Returns a problem, or null.
   */
  async followKeys(record) {
    try {
      if (record.kind === "device.added" || record.kind === "device.revoked") {
        await this.session.registry.apply(record);
        this.devicesChanged = true;
      } else if (record.kind === "epoch.started" && !this.session.keyring.has(record.epoch)) {
        await this.session.syncKeys();
      }
    } catch (error) {
      return error.message;
    }
    return null;
  }

  /** What the rules' records change in what this device follows: the pen, the knock, pauses. */
  follow(record) {
    const { kind } = record;
    if (kind === "notebook.created") this.pen = record.member;
    else if (kind === "pen.passed") this.pen = record.to;
    else if (kind === "mode.changed") this.pen = record.pen;
    else if (kind === "chapter.opened") {
      this.chapter = record.chapter;
      this.pen = record.mode === "turns" ? record.member : null;
    } else if (kind === "pen.asked") this.knock = record;
    else if (kind === "pause.ended") this.pauseNote = this.hereNote = null;
    if (["pen.passed", "mode.changed", "chapter.opened", "chapter.closed"].includes(kind)) {
      this.knock = null;
    }
  }

  async verify(record) {
    const entry = {
      kind: "entry",
      seq: record.seq,
      id: record.id,
      member: record.member,
      at: record.at,
      chapter: record.chapter,
      mirror: record.mirror === true,
    };
    const problems = [];
    try {
      const author = await this.authorKey(record);
      const opened = await openEntry(this.session.keyring, author, this.session.id, record);
      if (!bytesEqual(opened.prev, this.head)) problems.push("it is out of place in the chain");
      const epoch = epochOf(b64decode(record.ct));
      if (epoch < this.lastEpoch) problems.push("it is sealed under keys older than the page before");
      this.lastEpoch = Math.max(this.lastEpoch, epoch);
      if (record.hash !== b64encode(opened.hash))
        problems.push("its hash is not what the server says");
      this.head = opened.hash;
      entry.text = opened.text;
    } catch (error) {
      problems.push(error.message);
      // Keep the chain going from what the server says, so one bad page flags only itself.
      this.head = safeHash(record.hash) ?? this.head;
    }
    entry.problem = problems.length ? problems.join("; ") : null;
    return entry;
  }

  async authorKey(record) {
    const device = this.session.trusted(record.device, epochOf(b64decode(record.ct)));
    if (!device || device.member !== record.member) {
      throw new Error("it is not signed by a device we trust for its writer");
    }
    return device.key;
  }

  /**
   * Seal and append text; if the partner wrote first, catch up and seal again on top.
   * `mirror` marks a restatement of the partner's words (mirror-before-reply). The outbox
   * passes its own `entryId`, kept across retries, so the server stores the entry once.
   */
  async write(text, { mirror = false, entryId = newId() } = {}) {
    for (let attempt = 1; ; attempt++) {
      await this.queue;
      const place = {
        notebookId: this.session.id,
        chapter: this.session.notebook.chapter,
        entryId,
        prev: this.head,
      };
      const sealed = await sealEntry(
        this.session.keyring,
        this.session.device,
        place,
        text,
        undefined,
        { mirror },
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

  /** Whether an entry with this id is already on the pages (stored by the server). */
  has(entryId) {
    return this.entries.some((entry) => entry.id === entryId);
  }
}

function safeHash(text) {
  try {
    return b64decode(text);
  } catch {
    return null;
  }
}
