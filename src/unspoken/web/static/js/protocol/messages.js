// The three sealed messages of protocol v1 — entry, profile, invite bundle — made and opened.
// Opening checks the signature first and refuses bodies whose fields have the wrong types.

import { entryAad, inviteAad, openJson, profileAad, sealJson } from "./box.js";
import { entryHash, sign, verifySignature } from "./chain.js";
import { ProtocolError, b64decode, b64encode } from "./encoding.js";
import { decodeInk, encodeInk } from "./ink.js";

/**
 * @import { BoxKeys, JsonObject } from "./box.js"
 * @import { Bytes } from "./encoding.js"
 * @import { DeviceKey } from "./keys.js"
 * @import { Strokes } from "./ink.js"
 */

/**
 * A sealed box, the device's signature over it, and the additional data both are bound to.
 * @typedef {object} SignedBox
 * @property {Bytes} box
 * @property {Bytes} sig
 * @property {Bytes} aad
 */

/**
 * Where an entry belongs: its notebook, chapter and id, and the hash of the entry before it.
 * @typedef {object} EntryPlace
 * @property {string} notebookId
 * @property {number} chapter
 * @property {string} entryId
 * @property {Bytes} prev
 */

/**
 * An entry as the server relays it (base64url fields); `mirror` marks a restatement.
 * @typedef {object} EntryRecord
 * @property {number} chapter
 * @property {string} id
 * @property {string} device
 * @property {string} prev
 * @property {string} ct
 * @property {string} sig
 * @property {boolean} [mirror]
 */

/**
 * Epoch → that epoch's 32-byte notebook key.
 * @typedef {{[epoch: number]: Bytes}} EpochKeys
 */

/**
 * What an invite carries to the joiner: the notebook key, the creator's device key, and the
 * keys of later epochs.
 * @typedef {object} Bundle
 * @property {string} notebookId
 * @property {Bytes} notebookKey
 * @property {Bytes} creatorDeviceKey
 * @property {EpochKeys} [epochKeys]
 */

/**
 * @param {BoxKeys} key
 * @param {DeviceKey} device
 * @param {Bytes} additionalData
 * @param {JsonObject} body
 * @param {Bytes} [nonce]
 * @returns {Promise<SignedBox>}
 */
export async function sealSigned(key, device, additionalData, body, nonce) {
  const box = await sealJson(key, body, additionalData, nonce);
  const sig = await sign(device.privateKey, additionalData, box);
  return { box, sig, aad: additionalData };
}

/**
 * @param {BoxKeys} key
 * @param {Bytes} authorKey
 * @param {Bytes} additionalData
 * @param {Bytes} box
 * @param {Bytes} sig
 * @returns {Promise<JsonObject>}
 */
export async function openSigned(key, authorKey, additionalData, box, sig) {
  if (!(await verifySignature(authorKey, additionalData, box, sig))) {
    throw new ProtocolError("the signature does not match the author's key");
  }
  return openJson(key, box, additionalData);
}

/**
 * Seal and sign text at {notebookId, chapter, entryId, prev}; returns box, sig, aad and hash.
 * A restatement in a mirror-before-reply chapter (`mirror`) also seals `"mirror": true`;
 * `seen` (protocol v2) is the log as this device had followed it. With `ink` (strokes) the
 * entry is written by hand (type "ink", docs/protocol.md "Ink") and `text` is its typed
 * transcript or "": the strokes are checked against INK_LIMITS first (ProtocolError).
 * @param {BoxKeys} ck
 * @param {DeviceKey} device
 * @param {EntryPlace} place
 * @param {string} text
 * @param {Bytes} [nonce]
 * @param {{mirror?: boolean, seen?: {seq: number, digest: Bytes} | null, ink?: Strokes | null}} [options]
 * @returns {Promise<SignedBox & {hash: Bytes}>}
 */
export async function sealEntry(ck, device, place, text, nonce, { mirror = false, seen = null, ink = null } = {}) {
  const additionalData = entryAad(
    place.notebookId,
    place.chapter,
    place.entryId,
    device.id,
    place.prev,
  );
  /** @type {JsonObject} */
  let body = { type: "text", text };
  if (ink) {
    if (!ink.length) throw new ProtocolError("an entry written by hand holds at least one stroke");
    body = { type: "ink", ink: b64encode(await encodeInk(ink)), text };
  }
  if (mirror) body.mirror = true;
  // Protocol v2: the log as the writer had followed it, so the partner can tell a fork.
  if (seen) body.seen = { seq: seen.seq, digest: b64encode(seen.digest) };
  const signed = await sealSigned(ck, device, additionalData, body, nonce);
  return { ...signed, hash: await entryHash(additionalData, signed.box, signed.sig) };
}

/**
 * Verify and open an entry record as the server relays it ({chapter, id, device, prev, ct, sig}).
 * Returns the text (a transcript or "" for one written by hand), its strokes (`ink`, checked;
 * null for a typed entry) and the entry's hash, which the next entry must name as its prev.
 * @param {BoxKeys} ck
 * @param {Bytes} authorKey
 * @param {string} notebookId
 * @param {EntryRecord} record
 * @returns {Promise<{text: string, ink: Strokes | null, mirror: boolean, prev: Bytes, hash: Bytes, seen: {seq: number, digest: string} | null}>}
 */
export async function openEntry(ck, authorKey, notebookId, record) {
  const prev = b64decode(record.prev);
  const additionalData = entryAad(notebookId, record.chapter, record.id, record.device, prev);
  const box = b64decode(record.ct);
  const sig = b64decode(record.sig);
  const body = await openSigned(ck, authorKey, additionalData, box, sig);
  if ((body.type !== "text" && body.type !== "ink") || typeof body.text !== "string") {
    throw new ProtocolError("an entry holds text, or ink and its transcript");
  }
  let ink = null;
  if (body.type === "ink") {
    ink = await openInk(body.ink);
    if (!ink.length) throw new ProtocolError("an entry written by hand holds at least one stroke");
  } else if ("ink" in body) {
    throw new ProtocolError("a typed entry holds no ink");
  }
  // The server knows which entries are restatements; the sealed flag must say the same.
  const mirror = body.mirror === true;
  if (mirror !== (record.mirror === true)) {
    throw new ProtocolError("the server shows another mirror mark than the entry holds");
  }
  const seen = body.seen === undefined ? null : /** @type {{seq: number, digest: string}} */ (body.seen);
  return { text: body.text, ink, mirror, prev, seen, hash: await entryHash(additionalData, box, sig) };
}

/**
 * The strokes of a sealed body's `ink` (base64url of the encoded bytes), checked.
 * @param {unknown} sealed
 * @returns {Promise<Strokes>}
 */
export function openInk(sealed) {
  if (typeof sealed !== "string") throw new ProtocolError("ink is base64url text");
  return decodeInk(b64decode(sealed));
}

/**
 * @param {BoxKeys} ck
 * @param {DeviceKey} device
 * @param {string} notebookId
 * @param {JsonObject} profile
 * @param {Bytes} [nonce]
 * @returns {Promise<SignedBox>}
 */
export function sealProfile(ck, device, notebookId, profile, nonce) {
  return sealSigned(ck, device, profileAad(notebookId, device.id), profile, nonce);
}

/**
 * A profile holds at least a name (a string) and a hand (an object).
 * @param {BoxKeys} ck
 * @param {Bytes} authorKey
 * @param {string} notebookId
 * @param {string} deviceId
 * @param {string} ct
 * @param {string} sig
 * @returns {Promise<JsonObject>}
 */
export async function openProfile(ck, authorKey, notebookId, deviceId, ct, sig) {
  const additionalData = profileAad(notebookId, deviceId);
  const profile = await openSigned(ck, authorKey, additionalData, b64decode(ct), b64decode(sig));
  const hand = profile.hand;
  if (typeof profile.name !== "string" || hand === null || typeof hand !== "object") {
    throw new ProtocolError("a profile has a name and a hand");
  }
  return profile;
}

/**
 * What the creator hands the joiner through the invite: the notebook key and its own key, and
 * the keys of later epochs ({1: bytes, …}, after a declined joiner), so all history opens.
 * @param {CryptoKey} wrap
 * @param {string} inviteId
 * @param {Bundle} bundle
 * @param {Bytes} [nonce]
 * @returns {Promise<Bytes>}
 */
export function sealBundle(wrap, inviteId, bundle, nonce) {
  /** @type {JsonObject} */
  const body = {
    notebook_id: bundle.notebookId,
    notebook_key: b64encode(bundle.notebookKey),
    creator_device_key: b64encode(bundle.creatorDeviceKey),
  };
  const later = Object.entries(bundle.epochKeys ?? {}).filter(([n]) => Number(n) > 0);
  if (later.length) {
    body.epoch_keys = Object.fromEntries(later.map(([n, key]) => [String(n), b64encode(key)]));
  }
  return sealJson(wrap, body, inviteAad(inviteId), nonce);
}

/**
 * {"1": b64, …} → {1: bytes, …}: epochs are decimals from `first`, keys 32 bytes.
 * @param {unknown} raw
 * @param {number} [first]
 * @returns {EpochKeys}
 */
export function parseEpochKeys(raw, first = 1) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ProtocolError("epoch keys are an object");
  }
  /** @type {EpochKeys} */
  const keys = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!/^(0|[1-9][0-9]*)$/.test(name) || Number(name) < first) {
      throw new ProtocolError("an epoch is a decimal number");
    }
    const key = b64decode(value);
    if (key.length !== 32) throw new ProtocolError("an epoch key is 32 bytes");
    keys[Number(name)] = key;
  }
  return keys;
}

/**
 * @param {CryptoKey} wrap
 * @param {string} inviteId
 * @param {Bytes} box
 * @returns {Promise<Bundle & {epochKeys: EpochKeys}>}
 */
export async function openBundle(wrap, inviteId, box) {
  const body = await openJson(wrap, box, inviteAad(inviteId));
  if (typeof body.notebook_id !== "string")
    throw new ProtocolError("the invite bundle is incomplete");
  const bundle = {
    notebookId: body.notebook_id,
    notebookKey: b64decode(body.notebook_key),
    creatorDeviceKey: b64decode(body.creator_device_key),
    epochKeys: parseEpochKeys(body.epoch_keys ?? {}),
  };
  if (bundle.notebookKey.length !== 32 || bundle.creatorDeviceKey.length !== 32) {
    throw new ProtocolError("the invite bundle holds keys of the wrong size");
  }
  return bundle;
}
