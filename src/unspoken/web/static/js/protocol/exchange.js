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

const X25519 = { name: "X25519" };
const KEY_BYTES = 32;

/** An exchange key from PKCS#8 bytes: {privateKey (non-extractable), publicKey (raw bytes)}. */
export async function exchangeKeyFromPkcs8(pkcs8) {
  const extractable = await crypto.subtle.importKey("pkcs8", pkcs8, X25519, true, ["deriveBits"]);
  const jwk = await crypto.subtle.exportKey("jwk", extractable);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, X25519, false, ["deriveBits"]);
  return { privateKey, publicKey: b64decode(jwk.x) };
}

/** A new exchange key; `pkcs8` is returned once, for this device to keep sealed. */
export async function generateExchangeKey() {
  const pair = await crypto.subtle.generateKey(X25519, true, ["deriveBits"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { ...(await exchangeKeyFromPkcs8(pkcs8)), pkcs8 };
}

/** X25519(private, peer): 32 bytes; WebCrypto refuses a peer that would make all zeros. */
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

export function exchangeKeyMessage(notebookId, exchangePublic) {
  return lp("unspoken/v1/exchange-key", notebookId, exchangePublic);
}

/** A device vouches for its own exchange key. */
export function signExchangeKey(device, notebookId, exchangePublic) {
  return signEd25519(device.privateKey, exchangeKeyMessage(notebookId, exchangePublic));
}

export function verifyExchangeKey(devicePublic, notebookId, exchangePublic, sig) {
  if (exchangePublic.length !== KEY_BYTES) return false;
  return verifyEd25519(devicePublic, sig, exchangeKeyMessage(notebookId, exchangePublic));
}

export function epochKeyAad(notebookId, epoch, deviceId) {
  return aad("epoch-key", notebookId, String(epoch), deviceId);
}

async function wrapKey(shared, { notebookId, epoch, deviceId }, eph, recipient) {
  const info = lp("unspoken/v1/epoch-wrap", notebookId, String(epoch), deviceId, eph, recipient);
  return aesKey(await hkdf(shared, SALT, info));
}

/**
 * Seal `epochKey` for the device at place {notebookId, epoch, deviceId}, whose exchange key is
 * `recipient`, signed by `by`. Returns {device, wrap, sig}.
 */
export async function wrapEpochKey(by, place, recipient, epochKey, ephemeral = null, nonce = undefined) {
  const eph = ephemeral ?? (await generateExchangeKey());
  const key = await wrapKey(await x25519(eph.privateKey, recipient), place, eph.publicKey, recipient);
  const additionalData = epochKeyAad(place.notebookId, place.epoch, place.deviceId);
  const wrap = concat(eph.publicKey, await seal(key, epochKey, additionalData, nonce));
  return { device: place.deviceId, wrap, sig: await sign(by.privateKey, additionalData, wrap) };
}

/** Verify the wrapper's signature, then open the epoch key meant for this device (`me`). */
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
