// Following the notebook's log, as the Python SDK does (client/log.py), checked by the same
// vectors (tests/vectors/log-following.json): records are taken strictly in seq order, once
// each; an entry is checked for its device, its seal, its place in the chain, its key epoch and
// its hash; an act (protocol v2) for the device that signed it, its signature over exactly what
// the record says and the log its device had seen (against this device's own LogDigest: a
// difference means the server showed the two partners different histories). What fails is named
// with a refusal of static/vocabulary/records.json, and an act that fails is not followed. No
// I/O: the journal fetches what is missing, this only follows what it is given.
//
// What the log shows (the pen, the mode, a pause, a chapter's mirror-before-reply, a goodbye)
// is followed only from what an act's device signed and the rules (docs/protocol.md,
// "Following the log: what signed acts and the rules say"): a record whose unsigned fields say
// otherwise is refused, and so are the server's own records (a pause that ran out, one ended
// with a goodbye) that the signed acts and the clock do not bear out. Every record, signed or
// not, is bound into the digest.

import { LogDigest, actFields, actHash, actOfRecord, recordHash, verifyAct } from "./protocol/acts.js";
import { epochOf } from "./protocol/box.js";
import { GENESIS } from "./protocol/chain.js";
import { ProtocolError, b64decode, b64encode, bytesEqual } from "./protocol/encoding.js";
import { openItem } from "./protocol/items.js";
import { openEntry } from "./protocol/messages.js";
import { KIND, REFUSALS, is } from "./protocol/records.js";

/**
 * How far ahead of this device's clock the server may date a pause's end by the clock (ms):
 * clocks differ a little; a pause is never shorter than twenty minutes. As CLOCK_SKEW in Python.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * How far out of order the server may date two records honestly (ms): two requests racing
 * take their times a moment apart and commit the other way round (v1's pauses only: v2 signs
 * its time). As DATING_GRACE in Python.
 */
export const DATING_GRACE_MS = 60_000;

export class Log {
  /**
   * `keyring()`: the content keys by epoch now; `registry`: the devices trusted here (a
   * DeviceRegistry, followed from the log by the journal).
   */
  constructor({ notebookId, keyring, registry, signedFrom = () => 0, now = () => Date.now() }) {
    this.notebookId = notebookId;
    this.keyring = keyring;
    this.registry = registry;
    // This device's time (ms): a pause cannot have run out in its future.
    this.now = now;
    this.lastSeq = 0;
    this.head = GENESIS;
    this.lastEpoch = 0;
    // What the notebook's checked acts say now (follow): the shown state, never the server's
    // view of it.
    this.pen = null;
    this.chapter = 1;
    this.chapterOpen = true;
    this.mode = "turns";
    // The last pause asked for, until it ended: {by, since, until, here}.
    this.pause = null;
    // Mirror-before-reply in the open chapter, as the signed log says: {owed_by, awaiting}, or
    // null when the chapter has none.
    this.mirror = null;
    // The members who said goodbye.
    this.left = new Set();
    // The ids of lines their writers crossed out, and who wrote each line that verified.
    this.crossed = new Set();
    this.writers = new Map();
    // A knock for the pen not yet answered.
    this.knock = null;
    this.digest = new LogDigest();
    // Every act after this position must be signed by its author's device (docs/protocol.md).
    this.signedFrom = signedFrom;
    // The verdict on the act taken last: {signed (true, false for v1's, null for no act),
    // reasons, problem}.
    this.act = null;
    // Every act taken, by its hash (base64url): one replayed later is refused.
    this.acts = new Set();
    // seq → the hash (base64url) of the act taken there; null for v1's unsigned act.
    this.actAt = new Map();
    // The latest time (ms) a record taken was dated, and a pause ended for a goodbye, until
    // the goodbye.
    this.latest = null;
    this.leaving = null;
  }

  /**
   * Whether `record` (a promise's history, say) is an act this log took at its place, exactly
   * as signed (or, before signedFrom, as v1 left it). As `vouches` in Python.
   */
  async vouches(record) {
    if (!this.actAt.has(record.seq)) return false;
    let found;
    try {
      found = actOfRecord(this.notebookId, record);
    } catch {
      return false;
    }
    const taken = this.actAt.get(record.seq);
    if (!found) return taken === null;
    return taken === b64encode(await actHash(found.act, found.sig));
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
    const at = Date.parse(record.at);
    // A pause ended for a goodbye is followed only with the goodbye, the very next record.
    const stray = this.leaving !== null && record.kind !== KIND.MEMBER_LEFT;
    if (stray) this.leaving = null;
    if (record.kind === KIND.ENTRY) {
      this.lastSeq = record.seq;
      const entry = await this.verify(record, gap);
      if (stray) flag(entry, "against_the_rules", "a pause ended for a goodbye not said", true);
      if (Number.isNaN(at)) flag(entry, "unreadable", "a record is dated in ISO 8601");
      await this.digest.add(record.seq, this.head);
      if (!entry.problem) {
        this.writers.set(entry.id, entry.member);
        this.afterEntry(entry);
      }
      this.noteTime(at);
      return entry;
    }
    this.act = await this.checkAct(record, gap);
    this.lastSeq = record.seq;
    if (stray) this.refuse("against_the_rules", "a pause ended for a goodbye not said");
    if (Number.isNaN(at)) this.refuse("unreadable", "a record is dated in ISO 8601");
    if (!this.act.problem && record.kind === KIND.ENTRY_CROSSED) this.checkCrossing(record);
    if (!this.act.problem && this.act.signed === null && record.seq > this.signedFrom()) {
      this.checkServerRecord(record, at);
    } else if (!this.act.problem && this.act.signed) await this.checkSigned(record);
    if (!this.act.problem) this.follow(record);
    if (record.kind === KIND.MEMBER_LEFT) this.leaving = null;
    this.noteTime(at);
    return null;
  }

  noteTime(at) {
    if (!Number.isNaN(at)) this.latest = this.latest === null ? at : Math.max(this.latest, at);
  }

  /** Refuse the act taken now (it is not followed), for `reason`, in the shared words. */
  refuse(reason, detail = null) {
    flag(/** @type {{reasons: string[], problem: string | null}} */ (this.act), reason, detail);
  }

  /**
   * What a signed act's record says beyond the act (the server's fields) must be what the act
   * and the rules make of it; and a goodbye may end a pause only beside it. As `_check_signed`.
   */
  async checkSigned(record) {
    const { kind, member } = record;
    if (kind === KIND.MODE_CHANGED) {
      const holder = record.mode === "turns" ? member : null;
      if ((record.pen ?? null) !== holder) this.refuse("contradicts", "the pen is not where the mode puts it");
    } else if (kind === KIND.PEN_PASSED) {
      if (this.mode !== "turns" || this.pen !== member || record.to === member) {
        this.refuse("against_the_rules", "only the pen's holder passes it");
      }
    } else if (kind === KIND.CHAPTER_OPENED) await this.chapterMirror(record);
    else if (kind === KIND.MEMBER_LEFT && this.leaving) {
      if (record.seq !== this.leaving.seq + 1 || record.at !== this.leaving.at) {
        this.refuse("against_the_rules", "a pause ended for another goodbye");
      }
    }
  }

  /**
   * A record no device signed (protocol v2): a pause may end by the clock only once its signed
   * length is over, and not in this device's future; with a goodbye only beside the goodbye
   * (the next record, checked there). As `_check_server_record` in Python.
   */
  checkServerRecord(record, at) {
    if (record.kind !== KIND.PAUSE_ENDED) return;
    const pause = this.pause;
    if (!pause || pause.by !== record.member) {
      this.refuse("against_the_rules", "no such pause to end");
      return;
    }
    if (record.reason === "left") this.leaving = record;
    else if (at < Date.parse(pause.until) || at > this.now() + CLOCK_SKEW_MS) this.refuse("too_early");
  }

  /**
   * A chapter's mirror-before-reply choice, from its sealed meta (the act signs its id): the
   * server's `mirror` field must say the same. As `_chapter_mirror` in Python.
   */
  async chapterMirror(record) {
    const meta = record.meta;
    let body;
    try {
      if (!meta || typeof meta !== "object") throw new ProtocolError("a chapter has a title and a mirror choice");
      const device = String(meta.device);
      const key = this.registry.keyFor(record.member, device, epochOf(b64decode(meta.ct)));
      const place = { notebookId: this.notebookId, kind: "chapter", itemId: String(meta.id), ref: String(record.chapter) };
      body = await openItem(this.keyring(), key, place, device, meta.ct, meta.sig);
    } catch (error) {
      this.refuse("unreadable", error.message);
      return;
    }
    if (body.mirror !== record.mirror) this.refuse("contradicts", "another mirror choice than the chapter's");
  }

  /** The other partner, as the devices trusted here say. */
  partner(member) {
    const others = new Set([...this.registry.devices.values()].map((d) => d.member).filter((m) => m !== member));
    return others.size === 1 ? [...others][0] : null;
  }

  /** Words make the partner owe a restatement; one waits for its writer's answer. */
  afterEntry(entry) {
    if (this.mirror === null || entry.chapter !== this.chapter) return;
    const other = this.partner(entry.member);
    this.mirror = entry.mirror ? { owed_by: null, awaiting: other } : { owed_by: other, awaiting: null };
  }

  /**
   * A line is crossed out only by its own writer, and only once (as `_check_crossing` in
   * Python): otherwise the act is refused, and the line is not shown crossed out.
   */
  checkCrossing(record) {
    const entry = String(record.entry);
    if (this.writers.get(entry) === record.member && !this.crossed.has(entry)) return;
    this.act = { ...this.act, reasons: ["not_crossable"], problem: REFUSALS.not_crossable };
  }

  /** The verdict on the act a record says its member did; adds it to the digest. */
  async checkAct(record, gap = false) {
    const reasons = gap ? ["gap"] : [];
    const verdict = (signed, reason = null, hash = null) => {
      if (reason) reasons.push(reason);
      return { signed, reasons, problem: reasons.length ? reasons.map((r) => REFUSALS[r]).join("; ") : null, hash };
    };
    let result;
    let unsigned = null;
    try {
      unsigned = await recordHash(record);
      if (actFields(record.kind, record) === null) result = verdict(null);
      else {
        const found = actOfRecord(this.notebookId, record);
        if (!found) result = record.seq > this.signedFrom() ? verdict(false, "unsigned") : verdict(false);
        else result = await this.verifyAct(record, found);
        if (!result.problem) this.actAt.set(record.seq, result.hash ? b64encode(result.hash) : null);
      }
    } catch (error) {
      result = verdict(null, "unreadable");
      result.problem = `${result.problem}: ${error.message}`;
    }
    // Every record is bound into the digest: a signed act by its hash, any other by its fields.
    await this.digest.add(record.seq, result.hash ?? unsigned ?? new Uint8Array(32));
    return result;
  }

  async verifyAct(record, { act, sig }) {
    const refused = (reason) => ({ signed: false, reasons: [reason], problem: REFUSALS[reason], hash: null });
    let key;
    try {
      key = this.registry.actor(act.member, act.device, record.seq);
    } catch {
      return refused("untrusted");
    }
    try {
      await verifyAct(key, act, sig);
    } catch {
      return refused("unsigned");
    }
    if (act.seen.seq >= record.seq || !this.digest.agrees(act.seen)) return refused("forked");
    const hash = await actHash(act, sig);
    if (this.acts.has(b64encode(hash))) return refused("out_of_place");
    this.acts.add(b64encode(hash));
    return { signed: true, reasons: [], problem: null, hash };
  }

  /**
   * What the rules' records change in what a client shows: the pen, the chapter, its mode and
   * mirror-before-reply, a pause and its answer, a goodbye, a knock, a line crossed out (as
   * follow in client/log.py). Under v2 only what the act signed counts (checked beside it in
   * take); v1's records before signedFrom are followed as they say.
   */
  follow(record) {
    const { kind, member } = record;
    const v1 = record.seq <= this.signedFrom();
    if (kind === KIND.NOTEBOOK_CREATED) this.pen = member;
    else if (kind === KIND.PEN_PASSED) this.pen = record.to; // the act's signed outcome
    else if (kind === KIND.MODE_CHANGED) {
      this.mode = record.mode;
      this.pen = v1 ? record.pen : this.mode === "turns" ? member : null;
    } else if (kind === KIND.CHAPTER_OPENED) {
      this.chapter = record.chapter;
      this.chapterOpen = true;
      this.mode = record.mode;
      this.pen = record.mode === "turns" ? member : null;
      this.mirror = record.mirror === true ? { owed_by: null, awaiting: null } : null;
    } else if (kind === KIND.CHAPTER_CLOSED) {
      this.chapterOpen = false;
      this.mirror = null;
    } else if (kind === KIND.MIRROR_ANSWERED && this.mirror) {
      const gotIt = record.answer === "got-it";
      this.mirror = gotIt ? { owed_by: null, awaiting: null } : { owed_by: this.partner(member), awaiting: null };
    } else if (kind === KIND.MEMBER_LEFT) {
      this.left.add(member);
      if (this.leaving) this.pause = null;
    } else if (kind === KIND.PAUSE_STARTED || kind === KIND.PAUSE_RENEWED) this.pause = this.paused(record);
    else if (kind === KIND.PAUSE_HERE && this.pause) this.pause = { ...this.pause, here: true };
    else if (kind === KIND.PAUSE_ENDED && !this.leaving) this.pause = null;
    else if (kind === KIND.PEN_ASKED) this.knock = record;
    else if (kind === KIND.ENTRY_CROSSED) this.crossed.add(String(record.entry));
    if (is(kind, "clears_knock")) this.knock = null;
  }

  /**
   * A pause as its act says: it ends `minutes` after the asking device asked, both signed
   * (`asked`, unix ms on that device's clock, which the server kept within five minutes of its
   * own). v1's records, which signed neither, were asked for no earlier than anything the log
   * had shown before them (the server dates records; this bounds how far back it can date
   * one), or keep the server's `until`. As `_paused` in Python.
   */
  paused(record) {
    let until = record.until;
    if (record.seq > this.signedFrom()) {
      until = new Date(Number(record.asked) + Number(record.minutes) * 60_000).toISOString();
    } else if (Number.isInteger(record.minutes)) {
      const start = Math.max(Date.parse(record.at), (this.latest ?? -Infinity) - DATING_GRACE_MS);
      until = new Date(start + record.minutes * 60_000).toISOString();
    }
    if (record.kind === KIND.PAUSE_RENEWED && this.pause) return { ...this.pause, until };
    return { by: record.member, since: record.at, until, here: false };
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
      ink: null, // the strokes of a line written by hand, once it opens
    };
    const refusals = gap ? [["gap", REFUSALS.gap]] : [];
    const refuse = (reason, words = REFUSALS[reason]) => refusals.push([reason, words]);
    const opened = await this.open(record, refuse);
    if (opened) {
      if (!bytesEqual(opened.prev, this.head)) refuse("out_of_place");
      if (opened.epoch < this.lastEpoch) refuse("older_epoch");
      this.lastEpoch = Math.max(this.lastEpoch, opened.epoch);
      if (record.hash !== b64encode(opened.hash)) refuse("hash_differs");
      if (opened.seen) {
        if (!this.agreesWith(opened.seen, record.seq)) refuse("forked");
      } else if (record.seq > this.signedFrom()) {
        // Under protocol v2 every line names the log its writer had seen; only v1's did not.
        refuse("unsigned");
      }
      this.head = opened.hash;
      entry.text = opened.text;
      entry.ink = opened.ink;
    } else {
      // Keep the chain going from what the server says, so one bad page flags only itself.
      this.head = safeHash(record.hash) ?? this.head;
    }
    entry.reasons = refusals.map(([reason]) => reason);
    entry.problem = refusals.length ? refusals.map(([, words]) => words).join("; ") : null;
    return entry;
  }

  /** Whether an entry's sealed `seen` (protocol v2) is earlier and agrees with this log. */
  agreesWith(seen, seq) {
    const digest = safeHash(seen.digest);
    return Number.isSafeInteger(seen.seq) && seen.seq < seq && digest !== null
      && this.digest.agrees({ seq: seen.seq, digest });
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

/**
 * Add a refusal to a checked entry or act verdict: its reason, and its words to the problem
 * (first, with `first`).
 */
function flag(checked, reason, detail = null, first = false) {
  const words = detail ? `${REFUSALS[reason]}: ${detail}` : REFUSALS[reason];
  checked.reasons = first ? [reason, ...checked.reasons] : [...checked.reasons, reason];
  const problems = checked.problem ? [checked.problem] : [];
  checked.problem = (first ? [words, ...problems] : [...problems, words]).join("; ");
}

function safeHash(text) {
  try {
    return b64decode(text);
  } catch {
    return null;
  }
}

const PROMISE_STATES = {
  [KIND.PROMISE_MADE]: "made",
  [KIND.PROMISE_ACKNOWLEDGED]: "acknowledged",
  [KIND.PROMISE_WITHDRAWN]: "withdrawn",
};

/** A promise's state as its history of acts says, oldest first. As `promise_state` in Python. */
export function promiseState(history) {
  let state = "";
  for (const record of history) {
    state = record.kind === KIND.PROMISE_MARKED ? String(record.outcome) : (PROMISE_STATES[record.kind] ?? "?");
  }
  return state;
}
