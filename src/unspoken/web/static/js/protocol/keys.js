// Key derivation, invite keys and device identities (protocol v1, "Keys").

import { b64encode, concat, lp, utf8 } from "./encoding.js";

/** @import { Bytes } from "./encoding.js" */

/**
 * A device's identity: its signing key, the raw public key, and the id hashed from it.
 * @typedef {object} DeviceKey
 * @property {CryptoKey} privateKey
 * @property {Bytes} publicKey
 * @property {string} id
 */

/**
 * A new identity with its private key's PKCS#8 bytes, handed out once to be kept sealed.
 * @typedef {DeviceKey & {pkcs8: Bytes}} SealableDeviceKey
 */

/**
 * What both sides derive from a one-time secret (an invite's or a device link's): the claim
 * shown to the server, its hash, the AES key that wraps the payload, and the HMAC key.
 * @typedef {object} SecretKeys
 * @property {Bytes} claim
 * @property {Bytes} claimHash
 * @property {CryptoKey} wrap
 * @property {CryptoKey} mac
 */

export const SALT = utf8("unspoken/v1");
const KEY_BITS = 256;
/** @type {{name: "Ed25519"}} */
const ED25519 = { name: "Ed25519" };

/**
 * @param {Bytes} bytes
 * @returns {Promise<Bytes>}
 */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/**
 * HKDF-SHA256 (RFC 5869); `length` in bytes.
 * @param {Bytes} ikm
 * @param {Bytes} salt
 * @param {Bytes} info
 * @param {number} [length]
 * @returns {Promise<Bytes>}
 */
export async function hkdf(ikm, salt, info, length = KEY_BITS / 8) {
  const base = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt, info },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

/**
 * HKDF-SHA256 with the protocol's salt; label and context keep every key apart.
 * @param {Bytes} ikm
 * @param {string} label
 * @param {string} context
 * @returns {Promise<Bytes>}
 */
export function derive(ikm, label, context) {
  return hkdf(ikm, SALT, concat(utf8(label), new Uint8Array([0]), utf8(context)));
}

/**
 * An AES-256-GCM key that script can use but never read back.
 * @param {Bytes} raw
 * @returns {Promise<CryptoKey>}
 */
export function aesKey(raw) {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * The key that seals a notebook's entries and profiles.
 * @param {Bytes} notebookKey
 * @param {string} notebookId
 * @returns {Promise<CryptoKey>}
 */
export async function contentKey(notebookKey, notebookId) {
  return aesKey(await derive(notebookKey, "content", notebookId));
}

/**
 * What both sides derive from the invite secret: the claim the joiner presents, the key
 * that wraps the bundle, and the MAC key that vouches for the joiner's device key.
 * @param {Bytes} secret
 * @param {string} inviteId
 * @returns {Promise<SecretKeys>}
 */
export async function inviteKeys(secret, inviteId) {
  const [claim, wrap, mac] = await Promise.all(
    ["invite-claim", "invite-wrap", "invite-mac"].map((label) => derive(secret, label, inviteId)),
  );
  const macKey = await crypto.subtle.importKey(
    "raw",
    mac,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  return { claim, claimHash: await sha256(claim), wrap: await aesKey(wrap), mac: macKey };
}

/**
 * @param {string} inviteId
 * @param {Bytes} deviceKey
 * @returns {Bytes}
 */
function joinerMessage(inviteId, deviceKey) {
  return lp("unspoken/v1/joiner", inviteId, deviceKey);
}

/**
 * @param {CryptoKey} macKey
 * @param {string} inviteId
 * @param {Bytes} deviceKey
 * @returns {Promise<Bytes>}
 */
export async function joinerKeyMac(macKey, inviteId, deviceKey) {
  const mac = await crypto.subtle.sign("HMAC", macKey, joinerMessage(inviteId, deviceKey));
  return new Uint8Array(mac);
}

/**
 * Constant-time check (WebCrypto's HMAC verify) that the server did not swap the key.
 * @param {CryptoKey} macKey
 * @param {string} inviteId
 * @param {Bytes} deviceKey
 * @param {Bytes} keyMac
 * @returns {Promise<boolean>}
 */
export function verifyJoinerKeyMac(macKey, inviteId, deviceKey, keyMac) {
  return crypto.subtle.verify("HMAC", macKey, keyMac, joinerMessage(inviteId, deviceKey));
}

/**
 * A device's id is a hash of its public key, so the two cannot disagree.
 * @param {Bytes} publicKey
 * @returns {Promise<string>}
 */
export async function deviceId(publicKey) {
  return b64encode((await sha256(publicKey)).subarray(0, 16));
}

/**
 * A new device identity whose private half can sign but can never be exported. With
 * `{sealable: true}` it also returns the private key's PKCS#8 bytes once, so this device can
 * keep them sealed (under its storage key or a passphrase) instead of as a usable key.
 * @overload
 * @param {{sealable: true}} options
 * @returns {Promise<SealableDeviceKey>}
 */
/**
 * @overload
 * @param {{sealable?: false}} [options]
 * @returns {Promise<DeviceKey>}
 */
/**
 * @param {{sealable?: boolean}} [options]
 * @returns {Promise<DeviceKey | SealableDeviceKey>}
 */
export async function generateDeviceKey({ sealable = false } = {}) {
  const pair = await crypto.subtle.generateKey(ED25519, sealable, ["sign", "verify"]);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  if (!sealable) return { privateKey: pair.privateKey, publicKey, id: await deviceId(publicKey) };
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { ...(await deviceKeyFromPkcs8(pkcs8, publicKey)), pkcs8 };
}

/**
 * A device identity from sealed PKCS#8 bytes: a non-extractable signing key in memory.
 * @param {Bytes} pkcs8
 * @param {Bytes} publicKey
 * @returns {Promise<DeviceKey>}
 */
export async function deviceKeyFromPkcs8(pkcs8, publicKey) {
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, ED25519, false, ["sign"]);
  return { privateKey, publicKey, id: await deviceId(publicKey) };
}

/**
 * @param {CryptoKey} privateKey
 * @param {Bytes} message
 * @returns {Promise<Bytes>}
 */
export function signEd25519(privateKey, message) {
  return crypto.subtle.sign(ED25519, privateKey, message).then((sig) => new Uint8Array(sig));
}

/**
 * @param {Bytes} publicKey
 * @param {Bytes} signature
 * @param {Bytes} message
 * @returns {Promise<boolean>}
 */
export async function verifyEd25519(publicKey, signature, message) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, ED25519, false, ["verify"]);
    return await crypto.subtle.verify(ED25519, key, signature, message);
  } catch {
    return false;
  }
}
