// This device's secrets for one notebook, sealed at rest: its signing and exchange keys (as
// PKCS#8), every epoch's notebook key, and its token. They are sealed under this browser's
// storage key, or — with a passphrase lock — under a key from PBKDF2-SHA256 (≥ 600,000
// iterations, a random salt). Unsealed, they live only in memory, as non-extractable CryptoKeys
// (the notebook keys' bytes are opened again only for the moment an invite or a device link
// needs them). Format: docs/protocol.md, "A device at rest".

import { b64decode, b64encode, fromUtf8, randomBytes, utf8 } from "./protocol/encoding.js";
import { exchangeKeyFromPkcs8, generateExchangeKey } from "./protocol/exchange.js";
import { contentKey, deviceKeyFromPkcs8 } from "./protocol/keys.js";
import { openNotebookKey, storageKey } from "./store.js";

export const KDF = "PBKDF2-SHA256";
export const MIN_ITERATIONS = 600000;
// Far above what we write, far below what would freeze a phone: a bound on what we will try.
export const MAX_ITERATIONS = 10000000;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;

export class LockError extends Error {
  constructor(message) {
    super(message);
    this.name = "LockError";
  }
}

/**
 * Refuse key-derivation parameters weaker than ours, from anywhere: a keepsake file, a stored
 * lock, anything a server could offer. Returns {iterations, salt} when they are acceptable.
 */
export function acceptableKdf(kdf) {
  if (kdf?.name !== KDF) throw new LockError("unknown key derivation");
  const iterations = kdf.iterations;
  if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new LockError(`fewer than ${MIN_ITERATIONS.toLocaleString("en")} iterations`);
  }
  if (iterations > MAX_ITERATIONS) throw new LockError("an unreasonable number of iterations");
  const salt = typeof kdf.salt === "string" ? b64decode(kdf.salt) : kdf.salt;
  if (!(salt instanceof Uint8Array) || salt.length < SALT_BYTES) throw new LockError("a salt shorter than 16 bytes");
  return { iterations, salt };
}

/** An AES-256-GCM key from a passphrase (NFC), non-extractable. */
export async function passphraseKey(passphrase, kdf) {
  const { iterations, salt } = acceptableKdf(kdf);
  const material = await crypto.subtle.importKey("raw", utf8(passphrase.normalize("NFC")), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const aadFor = (notebookId) => utf8("unspoken/local/vault/" + notebookId);

async function seal(key, notebookId, secrets) {
  const iv = randomBytes(NONCE_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aadFor(notebookId) },
    key,
    utf8(JSON.stringify(secrets)),
  );
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), NONCE_BYTES);
  return out;
}

async function open(key, notebookId, sealed) {
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.subarray(0, NONCE_BYTES), additionalData: aadFor(notebookId) },
      key,
      sealed.subarray(NONCE_BYTES),
    );
  } catch {
    throw new LockError("That passphrase does not unlock this notebook.");
  }
  return JSON.parse(fromUtf8(new Uint8Array(plain)));
}

/** The key a vault is sealed under: the passphrase's if locked, else the storage key. */
async function vaultKey(vault, passphrase) {
  if (!vault.lock) return storageKey();
  if (typeof passphrase !== "string") throw new LockError("This notebook is locked on this device.");
  return passphraseKey(passphrase, vault.lock);
}

/**
 * A new vault: {device: PKCS#8 | null (an older device's key is a stored CryptoKey), exchange:
 * PKCS#8, keys: {epoch: bytes}, token}.
 */
export async function makeVault(notebookId, { device, exchange, keys, token }) {
  const secrets = {
    device: device ? b64encode(device) : null,
    exchange: b64encode(exchange),
    keys: Object.fromEntries(Object.entries(keys).map(([n, key]) => [n, b64encode(key)])),
    token,
  };
  return { sealed: await seal(await storageKey(), notebookId, secrets), lock: null };
}

/**
 * Open a record's vault into memory: {device, exchange, keyring (epoch → content CryptoKey),
 * token, key (what the vault is sealed under, kept to add epochs)}.
 */
export async function unlock(record, passphrase) {
  const key = await vaultKey(record.vault, passphrase);
  const secrets = await open(key, record.notebookId, record.vault.sealed);
  const device = secrets.device
    ? await deviceKeyFromPkcs8(b64decode(secrets.device), record.publicKey)
    : { privateKey: record.privateKey, publicKey: record.publicKey, id: record.deviceId };
  const exchange = await exchangeKeyFromPkcs8(b64decode(secrets.exchange));
  const keyring = new Map();
  for (const [n, raw] of Object.entries(secrets.keys)) {
    keyring.set(Number(n), await contentKey(b64decode(raw), record.notebookId));
  }
  return { device, exchange, keyring, token: secrets.token, key };
}

/** Every epoch's notebook key as bytes, for the moment an invite or a device link needs them. */
export async function notebookKeys(record, key) {
  const secrets = await open(key, record.notebookId, record.vault.sealed);
  return Object.fromEntries(Object.entries(secrets.keys).map(([n, raw]) => [Number(n), b64decode(raw)]));
}

/** Add epoch keys ({n: bytes}) to a vault; returns the new vault. */
export async function addKeys(record, key, keys) {
  const secrets = await open(key, record.notebookId, record.vault.sealed);
  for (const [n, raw] of Object.entries(keys)) secrets.keys[n] = b64encode(raw);
  return { ...record.vault, sealed: await seal(key, record.notebookId, secrets) };
}

/** Seal the vault under a passphrase (or, with null, back under the storage key). */
export async function relock(record, key, passphrase) {
  if (passphrase !== null && !record.vault.sealed) throw new LockError("nothing to lock");
  const secrets = await open(key, record.notebookId, record.vault.sealed);
  if (passphrase !== null && !secrets.device) {
    throw new LockError(
      "This device’s key was made before the lock existed and cannot be sealed. " +
        "Add this notebook to this browser again as a new device to lock it.",
    );
  }
  const lock = passphrase === null ? null : { name: KDF, iterations: MIN_ITERATIONS, salt: randomBytes(SALT_BYTES) };
  const newKey = lock ? await passphraseKey(passphrase, lock) : await storageKey();
  return { vault: { sealed: await seal(newKey, record.notebookId, secrets), lock }, key: newKey };
}

/**
 * A record saved before devices and epochs existed: its notebook key moves into a vault with a
 * new exchange key and its token; its signing key stays the stored CryptoKey it always was.
 */
export async function migrateLegacy(record) {
  const exchange = await generateExchangeKey();
  const vault = await makeVault(record.notebookId, {
    device: null,
    exchange: exchange.pkcs8,
    keys: { 0: await openNotebookKey(record) },
    token: record.token,
  });
  const { contentKey: _ck, sealedNotebookKey: _nk, token: _token, ...rest } = record;
  return { ...rest, vault };
}
