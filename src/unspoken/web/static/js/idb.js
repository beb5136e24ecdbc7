// IndexedDB in promises: the two databases this device keeps (store.js, local_copy.js) open the
// same way.

/** The result of an IDBRequest. */
export function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Open `name` at `version`, letting `upgrade(db)` make its stores. */
export function openDatabase(name, version, upgrade) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => {
      // A newer tab upgrading the database must not be blocked by this one.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}
