// The vocabulary the browser shares with the server and the Python SDK, read from the one copy
// of each data file (static/vocabulary/). Like every static file it is in the service worker's
// shell, so it loads with no network too.

const BASE = new URL("../../vocabulary/", import.meta.url);

/**
 * One of the shared data files, parsed; its reader says what shape it has.
 * @param {string} name
 * @returns {Promise<unknown>}
 */
export async function readVocabulary(name) {
  const response = await fetch(new URL(name, BASE));
  if (!response.ok) throw new Error(`the vocabulary file ${name} did not load (${response.status})`);
  return response.json();
}
