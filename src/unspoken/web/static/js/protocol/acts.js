// Signed acts (protocol v2): what a partner did, signed by the device that did it, and the log
// digest an act names so that a forked history shows. The twin of unspoken/protocol/acts.py;
// both are held to tests/vectors/protocol-v2-acts.json. docs/protocol.md, "Protocol v2".

import { b64decode, b64encode, ID_BYTES, lp, ProtocolError, utf8 } from "./encoding.js";
import { sha256, signEd25519, verifyEd25519 } from "./keys.js";

export const DOMAIN = "unspoken/v2/act";
export const LOG_DOMAIN = "unspoken/v2/log";
export const RECORD_DOMAIN = "unspoken/v2/record";
export const MIN_PAUSE_MINUTES = 20;
export const MAX_PAUSE_MINUTES = 24 * 60;

/**
 * What an act of one kind names: its subject, the outcomes it allows (a list, or "member",
 * "minutes" for "<minutes>@<unix ms asked>", "epoch", "" for none) and whether it carries a
 * sealed item.
 * @typedef {{ subject: "" | "chapter" | "promise" | "agreement" | "entry" | "device" | "epoch",
 *             outcomes: readonly string[] | "" | "member" | "minutes" | "epoch",
 *             item: "" | "optional" | "required" }} Shape
 */

/** @typedef {import("./encoding.js").Bytes} Bytes */

/** @typedef {{ seq: number, digest: Bytes }} Seen */

/**
 * @typedef {{ notebook: string, kind: string, member: string, device: string,
 *             subject: string, outcome: string, item: string, seen: Seen }} Act
 */

const MODES = ["turns", "open"];

/** @type {Readonly<Record<string, Shape>>} */
export const SHAPES = Object.freeze({
  "pen.passed": { subject: "chapter", outcomes: "member", item: "" },
  "pen.asked": { subject: "chapter", outcomes: "", item: "" },
  "mode.changed": { subject: "chapter", outcomes: MODES, item: "" },
  "pause.started": { subject: "", outcomes: "minutes", item: "optional" },
  "pause.renewed": { subject: "", outcomes: "minutes", item: "optional" },
  "pause.here": { subject: "", outcomes: "", item: "optional" },
  "pause.ended": { subject: "", outcomes: ["ready"], item: "" },
  "promise.made": { subject: "promise", outcomes: "member", item: "required" },
  "promise.acknowledged": { subject: "promise", outcomes: "", item: "" },
  "promise.withdrawn": { subject: "promise", outcomes: "", item: "" },
  "promise.marked": { subject: "promise", outcomes: ["kept", "broken", "released"], item: "optional" },
  "agreement.proposed": { subject: "agreement", outcomes: "", item: "required" },
  "agreement.signed": { subject: "agreement", outcomes: "", item: "" },
  "agreement.declined": { subject: "agreement", outcomes: "", item: "optional" },
  "agreement.revised": { subject: "agreement", outcomes: "", item: "required" },
  "chapter.closed": { subject: "chapter", outcomes: "", item: "" },
  "chapter.opened": { subject: "chapter", outcomes: MODES, item: "required" },
  "mirror.answered": { subject: "chapter", outcomes: ["got-it", "more"], item: "" },
  "member.left": { subject: "", outcomes: "", item: "" },
  "device.revoked": { subject: "device", outcomes: "epoch", item: "" },
  "entry.crossed": { subject: "entry", outcomes: "", item: "" },
});

const DECIMAL = /^(0|[1-9][0-9]{0,8})$/;
// A pause's length and when its asking device asked, on that device's clock (unix ms).
const ASKED = /^(0|[1-9][0-9]{0,8})@(0|[1-9][0-9]{0,15})$/;

/**
 * True for the b64 form of exactly 16 bytes, as `is_id` in Python.
 * @param {unknown} text
 * @returns {boolean}
 */
export function isId(text) {
  if (typeof text !== "string" || text.length !== 22) return false;
  try {
    return b64decode(text).length === ID_BYTES;
  } catch {
    return false;
  }
}

/**
 * @param {Shape["subject"]} subject
 * @param {string} value
 */
function checkSubject(subject, value) {
  let ok;
  if (subject === "") ok = value === "";
  else if (subject === "chapter" || subject === "epoch") ok = DECIMAL.test(value) && value !== "0";
  else ok = isId(value);
  if (!ok) throw new ProtocolError(`this act names a ${subject || "no subject"}`);
}

/**
 * @param {Shape["outcomes"]} outcomes
 * @param {string} value
 */
function checkOutcome(outcomes, value) {
  let ok;
  if (Array.isArray(outcomes)) ok = outcomes.includes(value);
  else if (outcomes === "member") ok = isId(value);
  else if (outcomes === "minutes") {
    const asked = typeof value === "string" ? ASKED.exec(value) : null;
    const [minutes, at] = asked ? [Number(asked[1]), Number(asked[2])] : [0, 0];
    ok = minutes >= MIN_PAUSE_MINUTES && minutes <= MAX_PAUSE_MINUTES && at <= Number.MAX_SAFE_INTEGER;
  } else if (outcomes === "epoch") ok = typeof value === "string" && DECIMAL.test(value);
  else ok = value === "";
  if (!ok) throw new ProtocolError("this act's outcome is not one its kind allows");
}

/**
 * @param {Shape["item"]} item
 * @param {string} value
 */
function checkItem(item, value) {
  let ok;
  if (item === "required") ok = isId(value);
  else if (item === "optional") ok = value === "" || isId(value);
  else ok = value === "";
  if (!ok) throw new ProtocolError("this act's item is not one its kind carries");
}

/**
 * Refuse an act that is not well formed for its kind, before signing or verifying.
 * @param {Act} act
 */
export function checkAct(act) {
  const shape = Object.hasOwn(SHAPES, act.kind) ? SHAPES[act.kind] : undefined;
  if (!shape) throw new ProtocolError(`"${act.kind}" is not a kind of act`);
  for (const name of /** @type {const} */ (["notebook", "member", "device"])) {
    if (!isId(act[name])) throw new ProtocolError(`an act's ${name} is an id`);
  }
  checkSubject(shape.subject, act.subject);
  checkOutcome(shape.outcomes, act.outcome);
  checkItem(shape.item, act.item);
  const { seq, digest } = act.seen;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new ProtocolError("an act's seen position is a whole number");
  }
  if (!(digest instanceof Uint8Array) || digest.length !== 32) {
    throw new ProtocolError("an act's seen digest is 32 bytes");
  }
}

/**
 * The exact bytes the acting device signs.
 * @param {Act} act
 * @returns {Bytes}
 */
export function actMessage(act) {
  checkAct(act);
  return lp(
    DOMAIN,
    act.notebook,
    act.kind,
    act.member,
    act.device,
    act.subject,
    act.outcome,
    act.item,
    String(act.seen.seq),
    act.seen.digest,
  );
}

/**
 * @param {{ privateKey: CryptoKey, id: string }} device
 * @param {Act} act
 * @returns {Promise<Bytes>}
 */
export async function signAct(device, act) {
  if (act.device !== device.id) throw new ProtocolError("a device signs only its own acts");
  return signEd25519(device.privateKey, actMessage(act));
}

/**
 * Throw ProtocolError unless `sig` is the acting device's signature of exactly `act`.
 * @param {Bytes} publicKey
 * @param {Act} act
 * @param {Bytes} sig
 */
export async function verifyAct(publicKey, act, sig) {
  if (!(await verifyEd25519(publicKey, sig, actMessage(act)))) {
    throw new ProtocolError("the act's signature does not match its device's key");
  }
}

/**
 * An act's link in the log digest.
 * @param {Act} act
 * @param {Bytes} sig
 * @returns {Promise<Bytes>}
 */
export function actHash(act, sig) {
  return sha256(lp(actMessage(act), sig));
}

/**
 * The running digest of a notebook's whole log, every record bound in its order: an entry by
 * its hash, a signed act by actHash, a record no device signed by recordHash. Kept at every
 * position applied so that an act's `seen` can be checked against this device's own history.
 * As `LogDigest` in Python.
 */
export class LogDigest {
  constructor() {
    this.seq = 0;
    /** @type {Bytes} */
    this.digest = new Uint8Array(32);
    /** @type {Map<number, Bytes>} */
    this.at = new Map([[0, this.digest]]);
  }

  /**
   * Apply the record at `seq`, whose hash is `recordHash`.
   * @param {number} seq
   * @param {Bytes} recordHash
   */
  async add(seq, recordHash) {
    if (seq <= this.seq) throw new ProtocolError("the log went backwards");
    this.digest = await sha256(lp(LOG_DOMAIN, this.digest, String(seq), recordHash));
    this.seq = seq;
    this.at.set(seq, this.digest);
  }

  /** @returns {Seen} */
  seen() {
    return { seq: this.seq, digest: this.digest };
  }

  /**
   * True when this device's digest at `seen.seq` is `seen.digest`; a position not applied
   * counts as disagreement.
   * @param {Seen} seen
   */
  agrees(seen) {
    const mine = this.at.get(seen.seq);
    return mine !== undefined && mine.length === seen.digest.length
      && mine.every((byte, i) => byte === seen.digest[i]);
  }
}

/**
 * `value` as canonical JSON text: only what JSON says the same way in Python and JavaScript,
 * objects' keys sorted by UTF-16 code units (as Array.prototype.sort does) and written in that
 * order, whatever order an object would iterate them in.
 * @param {unknown} value
 * @returns {string}
 */
function canonical(value) {
  const none = () => new ProtocolError("a record holds a value with no canonical form");
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "string") {
    if (/\p{Cs}/u.test(value)) throw none(); // a lone surrogate: not UTF-8
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw none();
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const record = /** @type {Record<string, unknown>} */ (value);
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${canonical(key)}:${canonical(record[key])}`).join(",")}}`;
  }
  throw none();
}

/**
 * A record as canonical JSON (docs/protocol.md, "The log digest"). As `canonical_json` in
 * Python.
 * @param {object} record
 * @returns {Bytes}
 */
export function canonicalJson(record) {
  return utf8(canonical(record));
}

/**
 * The link in the log digest of a record no device signed: its every field, as canonical
 * JSON. As `record_hash` in Python.
 * @param {object} record
 * @returns {Promise<Bytes>}
 */
export async function recordHash(record) {
  return sha256(lp(RECORD_DOMAIN, canonicalJson(record)));
}

/** @typedef {[string, string, string]} Fields (subject, outcome, item) */

/**
 * @param {unknown} value
 * @returns {string}
 */
function text(value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  throw new ProtocolError("an act's field is a number or an id");
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function itemId(value) {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") throw new ProtocolError("an act's item is a sealed item");
  return text(/** @type {{id?: unknown}} */ (value).id);
}

/**
 * Where each act's (subject, outcome, item) sits in its record: the names of the record's
 * fields, null for the empty string. A pause's outcome is its `minutes` and its `asked` (unix
 * ms, the asking device's clock), as "<minutes>@<asked>". As `_WHERE` in Python.
 * @type {Readonly<Record<string, [string | null, string | null, string | null]>>}
 */
const WHERE = Object.freeze({
  "pen.passed": ["chapter", "to", null],
  "pen.asked": ["chapter", null, null],
  "mode.changed": ["chapter", "mode", null],
  "pause.started": [null, "minutes", "note"],
  "pause.renewed": [null, "minutes", "note"],
  "pause.here": [null, null, "note"],
  "pause.ended": [null, "reason", null],
  "promise.made": ["promise", "to", "text"],
  "promise.acknowledged": ["promise", null, null],
  "promise.withdrawn": ["promise", null, null],
  "promise.marked": ["promise", "outcome", "note"],
  "agreement.proposed": ["agreement", null, "text"],
  "agreement.signed": ["agreement", null, null],
  "agreement.declined": ["agreement", null, "note"],
  "agreement.revised": ["agreement", null, "text"],
  "chapter.closed": ["chapter", null, null],
  "chapter.opened": ["chapter", "mode", "meta"],
  "mirror.answered": ["chapter", "answer", null],
  "member.left": [null, null, null],
  "entry.crossed": ["entry", null, null],
});

/**
 * The (subject, outcome, item) that a record of `kind` says its member did, or null when no
 * partner acted (a pause that ran out or ended with a goodbye; a device's revocation, signed on
 * its own). As `act_fields` in Python.
 * @param {string} kind
 * @param {Record<string, unknown>} record
 * @returns {Fields | null}
 */
export function actFields(kind, record) {
  const where = Object.hasOwn(WHERE, kind) ? WHERE[kind] : undefined;
  if (!where || (kind === "pause.ended" && record.reason !== "ready")) return null;
  const [subject, outcome, item] = where;
  let said = outcome === null ? "" : text(record[outcome]);
  if (outcome === "minutes") said += `@${text(record.asked)}`;
  return [
    subject === null ? "" : text(record[subject]),
    said,
    item === null ? "" : itemId(record[item]),
  ];
}

/**
 * The act a record carries and its signature, as the partner's device checks it; null when it
 * carries none. Throws ProtocolError for one that is malformed. As `act_of_record` in Python.
 * @param {string} notebookId
 * @param {Record<string, unknown>} record
 * @returns {{ act: Act, sig: Bytes } | null}
 */
export function actOfRecord(notebookId, record) {
  const fields = actFields(String(record.kind), record);
  const signed = /** @type {Record<string, unknown> | null | undefined} */ (record.act);
  if (fields === null || signed === null || signed === undefined) return null;
  let act, sig;
  try {
    const seen = { seq: /** @type {number} */ (signed.seen), digest: b64decode(/** @type {string} */ (signed.digest)) };
    sig = b64decode(/** @type {string} */ (signed.sig));
    act = {
      notebook: notebookId,
      kind: String(record.kind),
      member: String(record.member),
      device: String(signed.device),
      subject: fields[0],
      outcome: fields[1],
      item: fields[2],
      seen,
    };
  } catch {
    throw new ProtocolError("a malformed signed act");
  }
  checkAct(act);
  return { act, sig };
}

/**
 * The `Unspoken-Act` header of a request that acts: where the device was in the log and its
 * signature over each act the request makes, in log order. As `claim` in Python.
 * @param {{ privateKey: CryptoKey, id: string }} device
 * @param {string} notebookId
 * @param {string} memberId
 * @param {Seen} seen
 * @param {Array<[string, Fields]>} acts (kind, fields) pairs
 * @returns {Promise<string>}
 */
export async function claimHeader(device, notebookId, memberId, seen, acts) {
  const parts = [String(seen.seq), b64encode(seen.digest)];
  for (const [kind, [subject, outcome, item]] of acts) {
    const act = { notebook: notebookId, kind, member: memberId, device: device.id, subject, outcome, item, seen };
    parts.push(b64encode(await signAct(device, act)));
  }
  return parts.join(".");
}
