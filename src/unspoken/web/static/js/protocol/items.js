// Item boxes (the rules' texts) and draft frames (protocol v1, "Protocol v1 — the rules"):
// sealed with the content key and signed by the device that sends them.

import { draftAad, itemAad } from "./box.js";
import { ProtocolError, b64decode, b64encode } from "./encoding.js";
import { encodeInk } from "./ink.js";
import { openInk, openSigned, sealSigned } from "./messages.js";

/**
 * @import { BoxKeys, JsonObject } from "./box.js"
 * @import { Bytes } from "./encoding.js"
 * @import { DeviceKey } from "./keys.js"
 * @import { SignedBox } from "./messages.js"
 * @import { Strokes } from "./ink.js"
 */

/**
 * Where an item belongs: its kind (one of ITEM_KINDS), its id, and what it refers to.
 * @typedef {object} ItemPlace
 * @property {string} notebookId
 * @property {string} kind
 * @property {string} itemId
 * @property {string} [ref]
 */

/**
 * Where a draft frame belongs; `n` orders the frames of one draft.
 * @typedef {object} DraftPlace
 * @property {string} notebookId
 * @property {number} chapter
 * @property {string} draftId
 * @property {number} n
 */

/**
 * A draft frame as the server relays it (base64url ct and sig).
 * @typedef {object} DraftFrame
 * @property {number} chapter
 * @property {string} draft
 * @property {number} n
 * @property {string} device
 * @property {string} ct
 * @property {string} sig
 */

export const ITEM_KINDS = Object.freeze([
  "pause-note",
  "here-note",
  "promise",
  "promise-note",
  "agreement",
  "agreement-note",
  "chapter",
]);

/**
 * @param {ItemPlace} place
 * @param {string} deviceId
 * @returns {Bytes}
 */
function placeAad(place, deviceId) {
  if (!ITEM_KINDS.includes(place.kind)) throw new ProtocolError(`unknown item kind ${place.kind}`);
  return itemAad(place.notebookId, place.kind, place.itemId, place.ref ?? "", deviceId);
}

/**
 * Seal and sign a body at {notebookId, kind, itemId, ref}; returns box, sig and aad.
 * @param {BoxKeys} ck
 * @param {DeviceKey} device
 * @param {ItemPlace} place
 * @param {JsonObject} body
 * @param {Bytes} [nonce]
 * @returns {Promise<SignedBox>}
 */
export function sealItem(ck, device, place, body, nonce) {
  return sealSigned(ck, device, placeAad(place, device.id), body, nonce);
}

/**
 * Verify and open an item; text items hold {text}, chapters {title, template, mirror}.
 * @param {BoxKeys} ck
 * @param {Bytes} authorKey
 * @param {ItemPlace} place
 * @param {string} deviceId
 * @param {string} ct
 * @param {string} sig
 * @returns {Promise<JsonObject>}
 */
export async function openItem(ck, authorKey, place, deviceId, ct, sig) {
  const additionalData = placeAad(place, deviceId);
  const body = await openSigned(ck, authorKey, additionalData, b64decode(ct), b64decode(sig));
  if (place.kind === "chapter") {
    if (typeof body.title !== "string" || typeof body.mirror !== "boolean") {
      throw new ProtocolError("a chapter has a title and a mirror choice");
    }
  } else if (typeof body.text !== "string") {
    throw new ProtocolError("an item holds text");
  }
  return body;
}

/**
 * Seal one frame of a draft at {notebookId, chapter, draftId, n}: the whole text so far, and
 * with `ink` every stroke so far (encoded as an entry's ink) when it is written by hand.
 * @param {BoxKeys} ck
 * @param {DeviceKey} device
 * @param {DraftPlace} place
 * @param {string} text
 * @param {Bytes} [nonce]
 * @param {{ink?: Strokes | null}} [options]
 * @returns {Promise<SignedBox>}
 */
export async function sealDraft(ck, device, place, text, nonce, { ink = null } = {}) {
  const additionalData = draftAad(place.notebookId, place.chapter, place.draftId, place.n, device.id);
  /** @type {JsonObject} */
  const body = { text };
  if (ink) body.ink = b64encode(await encodeInk(ink));
  return sealSigned(ck, device, additionalData, body, nonce);
}

/**
 * Verify and open a relayed frame ({chapter, draft, n, device, ct, sig}); returns its text (a
 * transcript, for one written by hand).
 * @param {BoxKeys} ck
 * @param {Bytes} authorKey
 * @param {string} notebookId
 * @param {DraftFrame} frame
 * @returns {Promise<string>}
 */
export async function openDraft(ck, authorKey, notebookId, frame) {
  return (await openDraftFrame(ck, authorKey, notebookId, frame)).text;
}

/**
 * A relayed frame's text and its strokes so far (`ink`, checked; null for a typed draft).
 * @param {BoxKeys} ck
 * @param {Bytes} authorKey
 * @param {string} notebookId
 * @param {DraftFrame} frame
 * @returns {Promise<{text: string, ink: Strokes | null}>}
 */
export async function openDraftFrame(ck, authorKey, notebookId, frame) {
  const additionalData = draftAad(notebookId, frame.chapter, frame.draft, frame.n, frame.device);
  const body = await openSigned(
    ck,
    authorKey,
    additionalData,
    b64decode(frame.ct),
    b64decode(frame.sig),
  );
  if (typeof body.text !== "string") throw new ProtocolError("a draft frame holds text");
  return { text: body.text, ink: "ink" in body ? await openInk(body.ink) : null };
}
