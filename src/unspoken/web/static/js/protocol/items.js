// Item boxes (the rules' texts) and draft frames (protocol v1, "Protocol v1 — the rules"):
// sealed with the content key and signed by the device that sends them.

import { draftAad, itemAad } from "./box.js";
import { ProtocolError, b64decode } from "./encoding.js";
import { openSigned, sealSigned } from "./messages.js";

export const ITEM_KINDS = Object.freeze([
  "pause-note",
  "here-note",
  "promise",
  "promise-note",
  "agreement",
  "chapter",
]);

function placeAad(place, deviceId) {
  if (!ITEM_KINDS.includes(place.kind)) throw new ProtocolError(`unknown item kind ${place.kind}`);
  return itemAad(place.notebookId, place.kind, place.itemId, place.ref ?? "", deviceId);
}

/** Seal and sign a body at {notebookId, kind, itemId, ref}; returns box, sig and aad. */
export function sealItem(ck, device, place, body, nonce) {
  return sealSigned(ck, device, placeAad(place, device.id), body, nonce);
}

/** Verify and open an item; text items hold {text}, chapters {title, template, mirror}. */
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

/** Seal one frame of a draft at {notebookId, chapter, draftId, n}: the whole text so far. */
export function sealDraft(ck, device, place, text, nonce) {
  const additionalData = draftAad(place.notebookId, place.chapter, place.draftId, place.n, device.id);
  return sealSigned(ck, device, additionalData, { text }, nonce);
}

/** Verify and open a relayed frame ({chapter, draft, n, device, ct, sig}); returns its text. */
export async function openDraft(ck, authorKey, notebookId, frame) {
  const additionalData = draftAad(notebookId, frame.chapter, frame.draft, frame.n, frame.device);
  const body = await openSigned(
    ck,
    authorKey,
    additionalData,
    b64decode(frame.ct),
    b64decode(frame.sig),
  );
  if (typeof body.text !== "string") throw new ProtocolError("a draft frame holds text");
  return body.text;
}
