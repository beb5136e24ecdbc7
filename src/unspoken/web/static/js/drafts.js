// The draft on this device: sealed under the browser's storage key as the writer types, so a
// reload, a crash or a closed tab never costs a word, and nothing readable rests on the disk.
// One draft per notebook; it is cleared once its words are safely in the outbox.
//
// What is kept is exactly what is on the page, at every moment: a deletion is kept as surely
// as a word, and spaces are the writer's too. Nothing waits for a pause or for the page to be
// hidden: a page that is closing cannot finish sealing (WebCrypto answers after it is gone), so
// each change is sealed at once, the latest words replacing any not yet begun.

import { fromUtf8, utf8 } from "./protocol/encoding.js";
import { DRAFTS, openOnDevice, sealOnDevice, withStore } from "./store.js";

const label = (notebookId) => "draft/" + notebookId;

/**
 * {load(), save(text), flush(), clear(), onSaved(text)}: saves are applied in order, one at a
 * time, and a save asked for while another is being kept keeps only the latest words.
 */
export function draftKeeper(notebookId) {
  // The words still to keep (null: none), and the keeping under way, if any.
  let wanted = null;
  let keeping = null;
  const keeper = { onSaved: () => {} };

  // An empty draft is no draft: deleted, so a reload finds nothing to bring back.
  const store = async (text) => {
    if (text === "") {
      await withStore(DRAFTS, "readwrite", (s) => s.delete(notebookId));
    } else {
      const sealed = await sealOnDevice(label(notebookId), utf8(JSON.stringify({ text })));
      await withStore(DRAFTS, "readwrite", (s) => s.put({ notebookId, sealed, savedAt: Date.now() }));
    }
    keeper.onSaved(text);
  };

  const keepAll = async () => {
    while (wanted !== null) {
      const text = wanted;
      wanted = null;
      await store(text).catch((error) => console.warn("draft not kept", error));
    }
    keeping = null;
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

  /** Keep `text` as the draft; resolves once it (or later words) is kept. */
  keeper.save = (text) => {
    wanted = text;
    keeping ??= keepAll();
    return keeping;
  };

  /** Resolves once every save asked for so far is kept. */
  keeper.flush = () => keeping ?? Promise.resolve();

  keeper.clear = () => keeper.save("");
  return keeper;
}
