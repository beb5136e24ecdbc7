// This device's keys and tokens in IndexedDB, one record per notebook.
//
// Private keys are non-extractable CryptoKeys (IndexedDB keeps them as opaque handles). The
// notebook key NK is the one secret that must stay readable — a new invite re-wraps it — so it
// is sealed under a non-extractable storage key of this browser instead of kept in the clear.

import { openDatabase, request } from "./idb.js";
import { forgetCopy } from "./local_copy.js";
import { concat, randomBytes, utf8 } from "./protocol/encoding.js";

const DB_NAME = "unspoken";
const NOTEBOOKS = "notebooks";
const META = "meta";
// Sealed drafts (one per notebook) and entries waiting to be sent (drafts.js, outbox.js).
export const DRAFTS = "drafts";
export const OUTBOX = "outbox";
const STORAGE_KEY = "storage-key";
const NONCE_BYTES = 12;

let opening = null;

function database() {
  opening ??= openDatabase(DB_NAME, 2, (db) => {
    const missing = (name) => !db.objectStoreNames.contains(name);
    if (missing(NOTEBOOKS)) db.createObjectStore(NOTEBOOKS, { keyPath: "notebookId" });
    if (missing(META)) db.createObjectStore(META);
    if (missing(DRAFTS)) db.createObjectStore(DRAFTS, { keyPath: "notebookId" });
    if (missing(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: "entryId" });
  });
  return opening;
}

export async function withStore(name, mode, action) {
  const db = await database();
  return request(action(db.transaction(name, mode).objectStore(name)));
}

export async function storageKey() {
  const existing = await withStore(META, "readonly", (s) => s.get(STORAGE_KEY));
  if (existing) return existing;
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  // add() rather than put(): if another tab won the race, use its key, not ours.
  try {
    await withStore(META, "readwrite", (s) => s.add(key, STORAGE_KEY));
    return key;
  } catch {
    return withStore(META, "readonly", (s) => s.get(STORAGE_KEY));
  }
}

function localAad(notebookId) {
  return utf8("unspoken/local/notebook-key/" + notebookId);
}

// While a notebook locked with a passphrase is open, its drafts and outbox are sealed under the
// passphrase's key (held in memory only), not the storage key: at rest they need it too.
const localKeys = new Map();

/** Seal this notebook's drafts and outbox under `key` from now on (null: the storage key). */
export function useLocalKey(notebookId, key) {
  if (key) localKeys.set(notebookId, key);
  else localKeys.delete(notebookId);
}

// Labels are "draft/<notebook>" and "outbox/<notebook>/<entry>".
const notebookOf = (label) => label.split("/")[1];

/**
 * Seal bytes under this browser's storage key (or the open notebook's lock key), bound by
 * `label` to what they are, so a record moved to another slot does not open. What rests in
 * IndexedDB is never plaintext.
 */
export async function sealOnDevice(label, plain) {
  const iv = randomBytes(NONCE_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8("unspoken/local/" + label) },
    localKeys.get(notebookOf(label)) ?? (await storageKey()),
    plain,
  );
  return concat(iv, new Uint8Array(sealed));
}

/** Open what sealOnDevice sealed; what was sealed before a lock was set still opens. */
export async function openOnDevice(label, sealed) {
  const params = { name: "AES-GCM", iv: sealed.subarray(0, NONCE_BYTES), additionalData: utf8("unspoken/local/" + label) };
  const local = localKeys.get(notebookOf(label));
  if (local) {
    try {
      return new Uint8Array(await crypto.subtle.decrypt(params, local, sealed.subarray(NONCE_BYTES)));
    } catch {
      // sealed under the storage key, before the lock: try that below
    }
  }
  return new Uint8Array(await crypto.subtle.decrypt(params, await storageKey(), sealed.subarray(NONCE_BYTES)));
}

export async function sealNotebookKey(notebookId, notebookKey) {
  const iv = randomBytes(NONCE_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: localAad(notebookId) },
    await storageKey(),
    notebookKey,
  );
  return concat(iv, new Uint8Array(sealed));
}

export async function openNotebookKey(record) {
  const sealed = record.sealedNotebookKey;
  const plain = await crypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: sealed.subarray(0, NONCE_BYTES),
      additionalData: localAad(record.notebookId),
    },
    await storageKey(),
    sealed.subarray(NONCE_BYTES),
  );
  return new Uint8Array(plain);
}

/**
 * Fields: notebookId, memberId, deviceId, role ("creator" | "partner"), token, privateKey,
 * publicKey, contentKey, sealedNotebookKey, partnerKey (pinned once trusted), invite
 * ({id, secret} — creator only, until approval), profile ({name, hand}), savedAt.
 */
export function saveNotebook(record) {
  return withStore(NOTEBOOKS, "readwrite", (s) => s.put({ ...record, savedAt: Date.now() }));
}

export function loadNotebook(notebookId) {
  return withStore(NOTEBOOKS, "readonly", (s) => s.get(notebookId));
}

export async function updateNotebook(notebookId, changes) {
  const record = await loadNotebook(notebookId);
  await saveNotebook({ ...record, ...changes });
  return { ...record, ...changes };
}

export async function forgetNotebook(notebookId) {
  await forgetCopy(notebookId).catch((error) => console.warn("local copy not forgotten", error));
  return withStore(NOTEBOOKS, "readwrite", (s) => s.delete(notebookId));
}

/** The notebook this browser used last: one per person and browser, for now. */
export async function latestNotebook() {
  const all = await withStore(NOTEBOOKS, "readonly", (s) => s.getAll());
  return all.sort((a, b) => b.savedAt - a.savedAt)[0] ?? null;
}
