// The notebook's pages as this device has verified them. Records are applied strictly in order,
// once each (by seq); every entry's signature, place in the chain and seal are checked, and an
// entry that fails is kept as a visible warning instead of being shown or silently dropped.

import { ApiError } from "./api.js";
import { GENESIS } from "./protocol/chain.js";
import { b64decode, b64encode, bytesEqual, newId } from "./protocol/encoding.js";
import { openEntry, sealEntry } from "./protocol/messages.js";

const CATCH_UP_PAGE = 500;
const RESEAL_ATTEMPTS = 3;

export class Journal {
  constructor(session, onChange) {
    this.session = session;
    this.onChange = onChange;
    this.entries = [];
    this.head = GENESIS;
    this.lastSeq = 0;
    this.pen = null;
    this.queue = Promise.resolve();
  }

  /** Apply one record after everything queued before it; safe to call from several sources. */
  receive(record) {
    this.queue = this.queue
      .then(() => this.apply(record))
      .catch((error) => {
        console.error("could not apply record", record.seq, error);
      });
    return this.queue;
  }

  /** Fetch and apply every record the server has after the last one applied. */
  catchUp() {
    const run = this.queue.then(() => this.fetchMissing());
    // The queue must survive a failed fetch, or later records would never be applied.
    this.queue = run.catch(() => {});
    return run;
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
  async apply(record, { fillGaps = true } = {}) {
    if (record.seq <= this.lastSeq) return;
    if (fillGaps && record.seq > this.lastSeq + 1) {
      await this.fetchMissing(record.seq - 1);
      if (record.seq <= this.lastSeq) return;
    }
    this.lastSeq = record.seq;
    if (record.kind === "entry") this.entries.push(await this.verify(record));
    else if (record.kind === "notebook.created") this.pen = record.member;
    else if (record.kind === "pen.passed") this.pen = record.to;
    else if (record.kind.startsWith("member.") || record.kind === "profile.updated") {
      await this.session.refresh();
    }
    this.onChange(record);
  }

  async verify(record) {
    const entry = { seq: record.seq, id: record.id, member: record.member, at: record.at };
    const problems = [];
    try {
      const author = await this.authorKey(record);
      const opened = await openEntry(
        this.session.record.contentKey,
        author,
        this.session.id,
        record,
      );
      if (!bytesEqual(opened.prev, this.head)) problems.push("it is out of place in the chain");
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
    const key = this.session.trustedKey(record.member);
    const member = this.session.notebook.members.find((m) => m.id === record.member);
    const device = await this.session.verifiedDevice(member, key);
    if (!device || device.id !== record.device) {
      throw new Error("it is not signed by a device we trust for its writer");
    }
    return device.key;
  }

  /** Seal and append text; if the partner wrote first, catch up and seal again on top. */
  async write(text) {
    const entryId = newId();
    for (let attempt = 1; ; attempt++) {
      await this.queue;
      const place = {
        notebookId: this.session.id,
        chapter: this.session.notebook.chapter,
        entryId,
        prev: this.head,
      };
      const sealed = await sealEntry(
        this.session.record.contentKey,
        this.session.device,
        place,
        text,
      );
      try {
        await this.session.api.append({
          id: entryId,
          chapter: place.chapter,
          prev: b64encode(place.prev),
          ct: b64encode(sealed.box),
          sig: b64encode(sealed.sig),
        });
        return this.catchUp();
      } catch (error) {
        const behind = error instanceof ApiError && error.status === 409 && error.problem.head;
        if (!behind || attempt >= RESEAL_ATTEMPTS) throw error;
        await this.catchUp();
      }
    }
  }
}

function safeHash(text) {
  try {
    return b64decode(text);
  } catch {
    return null;
  }
}
