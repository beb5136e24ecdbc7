// The draft on this device: sealed under the browser's storage key as the writer pauses, so a
// reload, a crash or a closed tab never costs a word, and nothing readable rests on the disk.
// One draft per notebook; it is cleared once its words are safely in the outbox.

import { fromUtf8, utf8 } from "./protocol/encoding.js";
import { DRAFTS, openOnDevice, sealOnDevice, withStore } from "./store.js";

// Long enough not to seal every keystroke, short enough that a crash loses at most a breath.
const PAUSE_MS = 400;

const label = (notebookId) => "draft/" + notebookId;

/**
 * {load(), save(text), flush(), clear(), onSaved}: saves are debounced and applied in order.
 * `listeners` (js/listeners.js) owns what it listens to on the page, undone on leaving.
 */
export function draftKeeper(notebookId, listeners) {
  let timer = null;
  let pending = null;
  // Every write goes through one chain, so a late save can never undo a clear.
  let chain = Promise.resolve();
  const keeper = { onSaved: () => {} };

  const run = (action) => {
    chain = chain.then(action).catch((error) => console.warn("draft not kept", error));
    return chain;
  };

  const store = async (text) => {
    if (text.trim() === "") {
      await withStore(DRAFTS, "readwrite", (s) => s.delete(notebookId));
      return;
    }
    const sealed = await sealOnDevice(label(notebookId), utf8(JSON.stringify({ text })));
    await withStore(DRAFTS, "readwrite", (s) => s.put({ notebookId, sealed, savedAt: Date.now() }));
    keeper.onSaved(text);
  };

  keeper.load = async () => {
    const record = await withStore(DRAFTS, "readonly", (s) => s.get(notebookId));
    if (!record) return "";
    try {
      return JSON.parse(fromUtf8(await openOnDevice(label(notebookId), record.sealed))).text;
    } catch {
      return ""; // sealed under another browser's key: nothing this device can read
    }
  };

  keeper.save = (text) => {
    pending = text;
    clearTimeout(timer);
    timer = setTimeout(keeper.flush, PAUSE_MS);
  };

  keeper.flush = () => {
    clearTimeout(timer);
    if (pending === null) return chain;
    const text = pending;
    pending = null;
    return run(() => store(text));
  };

  keeper.clear = () => {
    clearTimeout(timer);
    pending = null;
    return run(() => withStore(DRAFTS, "readwrite", (s) => s.delete(notebookId)));
  };

  // Leaving the page (a closed tab, a reload) seals what is left without waiting for a pause;
  // leaving the screen does too, once, as its listeners are let go.
  listeners.on(window, "pagehide", keeper.flush);
  listeners.on(document, "visibilitychange", () => document.hidden && keeper.flush());
  listeners.add(() => keeper.flush());
  return keeper;
}
