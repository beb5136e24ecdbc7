// Signatures and the entry hash chain (protocol v1, "Signatures and the chain").

import { lp } from "./encoding.js";
import { sha256, signEd25519, verifyEd25519 } from "./keys.js";

/** The previous hash of a notebook's very first entry. */
export const GENESIS = new Uint8Array(32);

/** The exact bytes a device signs for a box. */
export function signedMessage(additionalData, box) {
  return lp("unspoken/v1/signed", additionalData, box);
}

export function sign(privateKey, additionalData, box) {
  return signEd25519(privateKey, signedMessage(additionalData, box));
}

export function verifySignature(publicKey, additionalData, box, sig) {
  return verifyEd25519(publicKey, sig, signedMessage(additionalData, box));
}

/** The link the next entry names as its prev. */
export function entryHash(additionalData, box, sig) {
  return sha256(lp(additionalData, box, sig));
}
