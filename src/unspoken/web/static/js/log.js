// Following the notebook's log, as the Python SDK does (client/log.py), checked by the same
// vectors (tests/vectors/log-following.json): records are taken strictly in seq order, once
// each; an entry is checked for its device, its seal, its place in the chain, its key epoch and
// its hash, and what fails is named with a refusal of static/vocabulary/records.json. No I/O:
// the journal fetches what is missing, this only follows what it is given.

import { epochOf } from "./protocol/box.js";
import { GENESIS } from "./protocol/chain.js";
import { b64decode, b64encode, bytesEqual } from "./protocol/encoding.js";
import { openEntry } from "./protocol/messages.js";
import { KIND, REFUSALS, is } from "./protocol/records.js";

export class Log {
  /**
   * `keyring()`: the content keys by epoch now; `registry`: the devices trusted here (a
   * DeviceRegistry, followed from the log by the journal).
   */
  constructor({ notebookId, keyring, registry }) {
    this.notebookId = notebookId;
    this.keyring = keyring;
    this.registry = registry;
    this.lastSeq = 0;
    this.head = GENESIS;
    this.lastEpoch = 0;
    this.pen = null;
    this.chapter = 1;
    // A knock for the pen not yet answered.
    this.knock = null;
  }

  /** Whether `record` was taken already ("old"), comes next ("next"), or after a gap ("gap"). */
  place(record) {
    if (record.seq <= this.lastSeq) return "old";
    return record.seq === this.lastSeq + 1 ? "next" : "gap";
  }

  /**
   * Take the next record. An entry comes back checked, with `reasons` (refusal codes, empty when
   * it verifies) and `problem` (their words); an entry that fails is kept, never dropped, and
   * the chain goes on from what the server says, so one bad page flags only itself.
   */
  async take(record) {
    const gap = this.place(record) === "gap";
    this.lastSeq = record.seq;
    if (record.kind === KIND.ENTRY) return this.verify(record, gap);
    this.follow(record);
    return null;
  }

  /** What the rules' records change in what a client follows: the pen, the chapter, a knock. */
  follow(record) {
    const { kind } = record;
    if (kind === KIND.NOTEBOOK_CREATED) this.pen = record.member;
    else if (kind === KIND.PEN_PASSED) this.pen = record.to;
    else if (kind === KIND.MODE_CHANGED) this.pen = record.pen;
    else if (kind === KIND.CHAPTER_OPENED) {
      this.chapter = record.chapter;
      this.pen = record.mode === "turns" ? record.member : null;
    } else if (kind === KIND.PEN_ASKED) this.knock = record;
    if (is(kind, "clears_knock")) this.knock = null;
  }

  async verify(record, gap = false) {
    const entry = {
      kind: KIND.ENTRY,
      seq: record.seq,
      id: record.id,
      member: record.member,
      at: record.at,
      chapter: record.chapter,
      mirror: record.mirror === true,
    };
    const refusals = gap ? [["gap", REFUSALS.gap]] : [];
    const refuse = (reason, words = REFUSALS[reason]) => refusals.push([reason, words]);
    const opened = await this.open(record, refuse);
    if (opened) {
      if (!bytesEqual(opened.prev, this.head)) refuse("out_of_place");
      if (opened.epoch < this.lastEpoch) refuse("older_epoch");
      this.lastEpoch = Math.max(this.lastEpoch, opened.epoch);
      if (record.hash !== b64encode(opened.hash)) refuse("hash_differs");
      this.head = opened.hash;
      entry.text = opened.text;
    } else {
      // Keep the chain going from what the server says, so one bad page flags only itself.
      this.head = safeHash(record.hash) ?? this.head;
    }
    entry.reasons = refusals.map(([reason]) => reason);
    entry.problem = refusals.length ? refusals.map(([, words]) => words).join("; ") : null;
    return entry;
  }

  /** The entry opened with its writer's trusted key, or null once `refuse` is told why not. */
  async open(record, refuse) {
    let epoch;
    try {
      epoch = epochOf(b64decode(record.ct));
    } catch (error) {
      refuse("unreadable", error.message);
      return null;
    }
    const device = this.registry.trusted(record.device, epoch);
    if (!device || device.member !== record.member) {
      refuse("untrusted");
      return null;
    }
    try {
      return { epoch, ...(await openEntry(this.keyring(), device.key, this.notebookId, record)) };
    } catch (error) {
      const reason = error.message === REFUSALS.mirror_differs ? "mirror_differs" : "unreadable";
      refuse(reason, error.message);
      return null;
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
