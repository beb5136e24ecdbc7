// X25519 exchange keys and epoch-key wraps (protocol v1, "Key epochs"): how one device hands a
// notebook key to a device it does not hold, through the server, without the server learning it.
//
// wrap = eph_public (32) ‖ box(k, epoch key, aad("epoch-key", notebook, epoch, device))
// k    = HKDF-SHA256(X25519(eph, recipient), "unspoken/v1",
//                    lp("unspoken/v1/epoch-wrap", notebook, epoch, device, eph_public, recipient))

import { aad, openBox, seal } from "./box.js";
import { sign, verifySignature } from "./chain.js";
import { ProtocolError, b64decode, concat, lp } from "./encoding.js";
import { SALT, aesKey, hkdf, signEd25519, verifyEd25519 } from "./keys.js";

/**
 * @import { Bytes } from "./encoding.js"
 * @import { DeviceKey } from "./keys.js"
 */

/**
 * An X25519 exchange key: the private half usable but not readable, the public half raw.
 * @typedef {object} ExchangeKey
 * @property {CryptoKey} privateKey
 * @property {Bytes} publicKey
 */

/**
 * The slot an epoch key is wrapped for: one device, in one notebook, for one epoch.
 * @typedef {object} EpochPlace
 * @property {string} notebookId
 * @property {number} epoch
 * @property {string} deviceId
 */

/**
 * An epoch key wrapped for one device, and the wrapping device's signature over it.
 * @typedef {object} EpochKeyWrap
 * @property {string} device
 * @property {Bytes} wrap
 * @property {Bytes} sig
 */

/** @type {{name: "X25519"}} */
const X25519 = { name: "X25519" };
const KEY_BYTES = 32;

/**
 * An exchange key from PKCS#8 bytes: {privateKey (non-extractable), publicKey (raw bytes)}.
 * @param {Bytes} pkcs8
 * @returns {Promise<ExchangeKey>}
 */
export async function exchangeKeyFromPkcs8(pkcs8) {
  const extractable = await crypto.subtle.importKey("pkcs8", pkcs8, X25519, true, ["deriveBits"]);
  const jwk = await crypto.subtle.exportKey("jwk", extractable);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, X25519, false, ["deriveBits"]);
  return { privateKey, publicKey: b64decode(jwk.x) };
}

/**
 * A new exchange key; `pkcs8` is returned once, for this device to keep sealed.
 * @returns {Promise<ExchangeKey & {pkcs8: Bytes}>}
 */
export async function generateExchangeKey() {
  const pair = await crypto.subtle.generateKey(X25519, true, ["deriveBits"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { ...(await exchangeKeyFromPkcs8(pkcs8)), pkcs8 };
}

/**
 * X25519(private, peer): 32 bytes; WebCrypto refuses a peer that would make all zeros.
 * @param {CryptoKey} privateKey
 * @param {Bytes} peerPublic
 * @returns {Promise<Bytes>}
 */
export async function x25519(privateKey, peerPublic) {
  let peer;
  let bits;
  try {
    peer = await crypto.subtle.importKey("raw", peerPublic, X25519, true, []);
    bits = await crypto.subtle.deriveBits({ name: "X25519", public: peer }, privateKey, 256);
  } catch {
    throw new ProtocolError("an exchange key that agrees on nothing");
  }
  return new Uint8Array(bits);
}

/**
 * @param {string} notebookId
 * @param {Bytes} exchangePublic
 * @returns {Bytes}
 */
export function exchangeKeyMessage(notebookId, exchangePublic) {
  return lp("unspoken/v1/exchange-key", notebookId, exchangePublic);
}

/**
 * A device vouches for its own exchange key.
 * @param {DeviceKey} device
 * @param {string} notebookId
 * @param {Bytes} exchangePublic
 * @returns {Promise<Bytes>}
 */
export function signExchangeKey(device, notebookId, exchangePublic) {
  return signEd25519(device.privateKey, exchangeKeyMessage(notebookId, exchangePublic));
}

/**
 * A key of the wrong length is refused too, like every other check: as a promise of false.
 * @param {Bytes} devicePublic
 * @param {string} notebookId
 * @param {Bytes} exchangePublic
 * @param {Bytes} sig
 * @returns {Promise<boolean>}
 */
export async function verifyExchangeKey(devicePublic, notebookId, exchangePublic, sig) {
  if (exchangePublic.length !== KEY_BYTES) return false;
  return verifyEd25519(devicePublic, sig, exchangeKeyMessage(notebookId, exchangePublic));
}

/**
 * @param {string} notebookId
 * @param {number} epoch
 * @param {string} deviceId
 * @returns {Bytes}
 */
export function epochKeyAad(notebookId, epoch, deviceId) {
  return aad("epoch-key", notebookId, String(epoch), deviceId);
}

/**
 * @param {Bytes} shared
 * @param {EpochPlace} place
 * @param {Bytes} eph
 * @param {Bytes} recipient
 * @returns {Promise<CryptoKey>}
 */
async function wrapKey(shared, { notebookId, epoch, deviceId }, eph, recipient) {
  const info = lp("unspoken/v1/epoch-wrap", notebookId, String(epoch), deviceId, eph, recipient);
  return aesKey(await hkdf(shared, SALT, info));
}

/**
 * Seal `epochKey` for the device at place {notebookId, epoch, deviceId}, whose exchange key is
 * `recipient`, signed by `by`. Returns {device, wrap, sig}.
 * @param {DeviceKey} by
 * @param {EpochPlace} place
 * @param {Bytes} recipient
 * @param {Bytes} epochKey
 * @param {ExchangeKey | null} [ephemeral]
 * @param {Bytes} [nonce]
 * @returns {Promise<EpochKeyWrap>}
 */
export async function wrapEpochKey(by, place, recipient, epochKey, ephemeral = null, nonce = undefined) {
  const eph = ephemeral ?? (await generateExchangeKey());
  const key = await wrapKey(await x25519(eph.privateKey, recipient), place, eph.publicKey, recipient);
  const additionalData = epochKeyAad(place.notebookId, place.epoch, place.deviceId);
  const wrap = concat(eph.publicKey, await seal(key, epochKey, additionalData, nonce));
  return { device: place.deviceId, wrap, sig: await sign(by.privateKey, additionalData, wrap) };
}

/**
 * Verify the wrapper's signature, then open the epoch key meant for this device (`me`).
 * @param {ExchangeKey} me
 * @param {EpochPlace} place
 * @param {Bytes} wrap
 * @param {Bytes} sig
 * @param {Bytes} byKey
 * @returns {Promise<Bytes>}
 */
export async function unwrapEpochKey(me, place, wrap, sig, byKey) {
  const additionalData = epochKeyAad(place.notebookId, place.epoch, place.deviceId);
  if (!(await verifySignature(byKey, additionalData, wrap, sig))) {
    throw new ProtocolError("an epoch key not signed by a device we trust");
  }
  const eph = wrap.subarray(0, KEY_BYTES);
  const key = await wrapKey(await x25519(me.privateKey, eph), place, eph, me.publicKey);
  const epochKey = await openBox(key, wrap.subarray(KEY_BYTES), additionalData);
  if (epochKey.length !== KEY_BYTES) throw new ProtocolError("an epoch key is 32 bytes");
  return epochKey;
}
