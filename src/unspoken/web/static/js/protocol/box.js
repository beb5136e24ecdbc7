// Sealed boxes (protocol v1): version byte, nonce, AES-256-GCM over padded plaintext, framed aad.
// Epoch 0 seals version 1 boxes; a later key epoch seals version 2, its epoch in the header and
// at the end of the AEAD's additional data. `keys` is one CryptoKey (epoch 0's, or whatever key
// the caller means) or a Map of epoch → CryptoKey: sealing uses the newest, opening the box's own.

import { ProtocolError, concat, fromUtf8, lp, randomBytes, utf8 } from "./encoding.js";

/** @import { Bytes, Part } from "./encoding.js" */

/**
 * The keys a box is sealed or opened with: one key, or epoch → key.
 * @typedef {CryptoKey | Map<number, CryptoKey>} BoxKeys
 */

/**
 * A JSON object as a sealed message holds it; its fields are checked by whoever opens it.
 * @typedef {{[field: string]: unknown}} JsonObject
 */

const VERSION = 0x01;
const EPOCH_VERSION = 0x02;
const EPOCH_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const PAD_BLOCK = 256;
export const MAX_BOX = 65536;
const MAX_PADDED = Math.floor((MAX_BOX - 1 - EPOCH_BYTES - NONCE_BYTES - TAG_BYTES) / PAD_BLOCK) * PAD_BLOCK;

/**
 * Additional data: what the box is and where it belongs.
 * @param {string} kind
 * @param {...Part} fields
 * @returns {Bytes}
 */
export function aad(kind, ...fields) {
  return lp("unspoken/v1/" + kind, ...fields);
}

/**
 * @param {string} notebookId
 * @param {number} chapter
 * @param {string} entryId
 * @param {string} deviceId
 * @param {Bytes} prev
 * @returns {Bytes}
 */
export function entryAad(notebookId, chapter, entryId, deviceId, prev) {
  return aad("entry", notebookId, String(chapter), entryId, deviceId, prev);
}

/**
 * @param {string} notebookId
 * @param {string} deviceId
 * @returns {Bytes}
 */
export function profileAad(notebookId, deviceId) {
  return aad("profile", notebookId, deviceId);
}

/**
 * @param {string} inviteId
 * @returns {Bytes}
 */
export function inviteAad(inviteId) {
  return aad("invite", inviteId);
}

/**
 * A rule's text (a pause note, a promise, a chapter title…), bound to what it belongs to.
 * @param {string} notebookId
 * @param {string} kind
 * @param {string} itemId
 * @param {string} ref
 * @param {string} deviceId
 * @returns {Bytes}
 */
export function itemAad(notebookId, kind, itemId, ref, deviceId) {
  return aad("item", notebookId, kind, itemId, ref, deviceId);
}

/**
 * One frame of a draft as it forms; `n` orders the frames of one draft.
 * @param {string} notebookId
 * @param {number} chapter
 * @param {string} draftId
 * @param {number} n
 * @param {string} deviceId
 * @returns {Bytes}
 */
export function draftAad(notebookId, chapter, draftId, n, deviceId) {
  return aad("draft", notebookId, String(chapter), draftId, String(n), deviceId);
}

/**
 * One read-position frame of one device; `n` orders a device's frames (seen_aad in Python).
 * @param {string} notebookId
 * @param {string} deviceId
 * @param {number} n
 * @returns {Bytes}
 */
export function seenAad(notebookId, deviceId, n) {
  return aad("seen", notebookId, deviceId, String(n));
}

/**
 * 0x80 then zeros up to a multiple of 256 bytes, so a box hides the text's exact length.
 * @param {Uint8Array} plaintext
 * @returns {Bytes}
 */
export function pad(plaintext) {
  const size = (Math.floor(plaintext.length / PAD_BLOCK) + 1) * PAD_BLOCK;
  if (size > MAX_PADDED) throw new ProtocolError("the text is too long for one box");
  const out = new Uint8Array(size);
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/**
 * @param {Bytes} padded
 * @returns {Bytes}
 */
export function unpad(padded) {
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  if (padded.length % PAD_BLOCK !== 0 || end === 0 || padded[end - 1] !== 0x80) {
    throw new ProtocolError("bad padding");
  }
  return padded.slice(0, end - 1);
}

/**
 * The key and epoch new boxes are sealed with: a lone key is epoch 0's. An empty Map has no
 * newest key (and epoch -Infinity, which `seal` refuses).
 * @param {BoxKeys} keys
 * @returns {{key: CryptoKey | undefined, epoch: number}}
 */
export function newest(keys) {
  if (!(keys instanceof Map)) return { key: keys, epoch: 0 };
  const epoch = Math.max(...keys.keys());
  return { key: keys.get(epoch), epoch };
}

/**
 * The key epoch a box was sealed in, read from its header.
 * @param {Uint8Array} box
 * @returns {number}
 */
export function epochOf(box) {
  if (box[0] === EPOCH_VERSION && box.length >= 1 + EPOCH_BYTES) {
    return new DataView(box.buffer, box.byteOffset + 1, EPOCH_BYTES).getUint32(0);
  }
  if (box[0] === VERSION) return 0;
  throw new ProtocolError("unknown box version");
}

/**
 * @param {Bytes} additionalData
 * @param {number} epoch
 * @returns {Bytes}
 */
function withEpoch(additionalData, epoch) {
  return epoch === 0 ? additionalData : concat(additionalData, lp(String(epoch)));
}

/**
 * Seal bytes in the newest epoch of `keys`; the nonce is random unless a test vector fixes it.
 * @param {BoxKeys} keys
 * @param {Uint8Array} plaintext
 * @param {Bytes} additionalData
 * @param {Bytes} [nonce]
 * @returns {Promise<Bytes>}
 */
export async function seal(keys, plaintext, additionalData, nonce = randomBytes(NONCE_BYTES)) {
  if (nonce.length !== NONCE_BYTES) throw new ProtocolError("a nonce is 12 bytes");
  const { key, epoch } = newest(keys);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch >= 2 ** 32) {
    throw new ProtocolError("an epoch is a 32-bit number");
  }
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: withEpoch(additionalData, epoch) },
    // Only an empty Map has no newest key, and its epoch (-Infinity) was refused just above.
    /** @type {CryptoKey} */ (key),
    pad(plaintext),
  );
  if (epoch === 0) return concat(new Uint8Array([VERSION]), nonce, new Uint8Array(sealed));
  const header = new Uint8Array(1 + EPOCH_BYTES);
  header[0] = EPOCH_VERSION;
  new DataView(header.buffer).setUint32(1, epoch);
  return concat(header, nonce, new Uint8Array(sealed));
}

/**
 * Open a box with its epoch's key, or throw ProtocolError if anything about it is wrong.
 * @param {BoxKeys} keys
 * @param {Bytes} box
 * @param {Bytes} additionalData
 * @returns {Promise<Bytes>}
 */
export async function openBox(keys, box, additionalData) {
  const epoch = epochOf(box);
  const header = box[0] === VERSION ? 1 : 1 + EPOCH_BYTES;
  if (box.length < header + NONCE_BYTES + TAG_BYTES + PAD_BLOCK || box.length > MAX_BOX) {
    throw new ProtocolError("a box of impossible size");
  }
  const key = keys instanceof Map ? keys.get(epoch) : keys;
  if (!key) throw new ProtocolError(`this device holds no key for epoch ${epoch}`);
  let padded;
  try {
    padded = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: box.subarray(header, header + NONCE_BYTES),
        additionalData: withEpoch(additionalData, epoch),
      },
      key,
      box.subarray(header + NONCE_BYTES),
    );
  } catch {
    throw new ProtocolError("the box does not open: wrong key, or altered");
  }
  return unpad(new Uint8Array(padded));
}

/**
 * @param {BoxKeys} key
 * @param {JsonObject} value
 * @param {Bytes} additionalData
 * @param {Bytes} [nonce]
 * @returns {Promise<Bytes>}
 */
export function sealJson(key, value, additionalData, nonce) {
  return seal(key, utf8(JSON.stringify(value)), additionalData, nonce);
}

/**
 * Open a box holding a JSON object; anything else is refused.
 * @param {BoxKeys} key
 * @param {Bytes} box
 * @param {Bytes} additionalData
 * @returns {Promise<JsonObject>}
 */
export async function openJson(key, box, additionalData) {
  let value;
  try {
    value = JSON.parse(fromUtf8(await openBox(key, box, additionalData)));
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError("the sealed message is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ProtocolError("the sealed message is not a JSON object");
  }
  return value;
}
