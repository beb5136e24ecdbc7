// Signatures and the entry hash chain (protocol v1, "Signatures and the chain").

import { lp } from "./encoding.js";
import { sha256, signEd25519, verifyEd25519 } from "./keys.js";

/** @import { Bytes } from "./encoding.js" */

/** The previous hash of a notebook's very first entry. */
export const GENESIS = new Uint8Array(32);

/**
 * The exact bytes a device signs for a box.
 * @param {Bytes} additionalData
 * @param {Bytes} box
 * @returns {Bytes}
 */
export function signedMessage(additionalData, box) {
  return lp("unspoken/v1/signed", additionalData, box);
}

/**
 * @param {CryptoKey} privateKey
 * @param {Bytes} additionalData
 * @param {Bytes} box
 * @returns {Promise<Bytes>}
 */
export function sign(privateKey, additionalData, box) {
  return signEd25519(privateKey, signedMessage(additionalData, box));
}

/**
 * @param {Bytes} publicKey
 * @param {Bytes} additionalData
 * @param {Bytes} box
 * @param {Bytes} sig
 * @returns {Promise<boolean>}
 */
export function verifySignature(publicKey, additionalData, box, sig) {
  return verifyEd25519(publicKey, sig, signedMessage(additionalData, box));
}

/**
 * The link the next entry names as its prev.
 * @param {Bytes} additionalData
 * @param {Bytes} box
 * @param {Bytes} sig
 * @returns {Promise<Bytes>}
 */
export function entryHash(additionalData, box, sig) {
  return sha256(lp(additionalData, box, sig));
}
