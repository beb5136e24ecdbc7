// What this device keeps so a notebook opens without the server: the last notebook answer and
// the log's records exactly as the server sent them (entries and notes are sealed boxes, so
// nothing readable is added), and, for the service worker to word a notice, the language and
// the partner's name. A database of its own, apart from the keys in store.js.

import { openDatabase } from "./idb.js";

const DB_NAME = "unspoken-local";
const COPIES = "copies";
const RECORDS = "records";
// Out-of-line keys: "language", and "partner/<notebook id>" → the partner's name (sw.js).
const DEVICE = "device";

let opening = null;

function database() {
  opening ??= openDatabase(DB_NAME, 1, (db) => {
    db.createObjectStore(COPIES, { keyPath: "notebookId" });
    db.createObjectStore(RECORDS, { keyPath: ["notebookId", "seq"] });
    db.createObjectStore(DEVICE);
  });
  return opening;
}

async function run(names, mode, action) {
  const db = await database();
  const tx = db.transaction(names, mode);
  const result = action(tx);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

const range = (notebookId) => IDBKeyRange.bound([notebookId, 0], [notebookId, Infinity]);

export function keepNotebook(notebookId, notebook) {
  return run(COPIES, "readwrite", (tx) =>
    tx.objectStore(COPIES).put({ notebookId, notebook, savedAt: Date.now() }),
  );
}

/** The notebook answer this device saw last, or null. */
export async function lastNotebook(notebookId) {
  const copy = await run(COPIES, "readonly", (tx) => tx.objectStore(COPIES).get(notebookId));
  return copy?.notebook ?? null;
}

/** keep(record): records are gathered and written together, one transaction per moment. */
export function recordKeeper(notebookId) {
  let waiting = [];
  let timer = null;
  const write = () => {
    const batch = waiting;
    waiting = [];
    timer = null;
    run(RECORDS, "readwrite", (tx) => {
      const store = tx.objectStore(RECORDS);
      for (const record of batch) store.put({ ...record, notebookId });
    }).catch((error) => console.warn("records not kept on this device", error));
  };
  return (record) => {
    waiting.push(record);
    timer ??= setTimeout(write, 0);
  };
}

/** The records kept for a notebook, oldest first, as the server sent them. */
export async function keptRecords(notebookId) {
  const rows = await run(RECORDS, "readonly", (tx) => tx.objectStore(RECORDS).getAll(range(notebookId)));
  return rows.map(({ notebookId: _, ...record }) => record);
}

/**
 * The seq of the newest record kept for a notebook, or 0: how far this device itself followed
 * its log (session.js pins where signed acts began there, for a notebook kept from before v2).
 */
export async function lastKeptSeq(notebookId) {
  const found = await run(RECORDS, "readonly", (tx) => {
    const newest = { seq: 0 };
    tx.objectStore(RECORDS).openCursor(range(notebookId), "prev").onsuccess = (event) => {
      const cursor = event.target.result;
      if (cursor) newest.seq = Number(cursor.key[1]) || 0;
    };
    return newest;
  });
  return found.seq;
}

export function keepForNotices(key, value) {
  return run(DEVICE, "readwrite", (tx) => tx.objectStore(DEVICE).put(value, key));
}

/** Forget everything kept for a notebook (after a goodbye, or when the device is turned away). */
export function forgetCopy(notebookId) {
  return run([COPIES, RECORDS, DEVICE], "readwrite", (tx) => {
    tx.objectStore(COPIES).delete(notebookId);
    tx.objectStore(RECORDS).delete(range(notebookId));
    tx.objectStore(DEVICE).delete(`partner/${notebookId}`);
  });
}
