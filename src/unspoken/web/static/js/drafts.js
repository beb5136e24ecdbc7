// The draft on this device: sealed under the browser's storage key as the writer types, so a
// reload, a crash or a closed tab never costs a word, and nothing readable rests on the disk.
// One draft per notebook; it is cleared once its words are safely in the outbox. A draft
// written by hand keeps its strokes beside the words typed with them (its transcript).
//
// What is kept is exactly what is on the page, at every moment: a deletion is kept as surely
// as a word, and spaces are the writer's too. Nothing waits for a pause or for the page to be
// hidden: a page that is closing cannot finish sealing (WebCrypto answers after it is gone), so
// each change is sealed at once, the latest words replacing any not yet begun.

import { fromUtf8, utf8 } from "./protocol/encoding.js";
import { DRAFTS, openOnDevice, sealOnDevice, withStore } from "./store.js";

const label = (notebookId) => "draft/" + notebookId;

/**
 * {load(), save(text, ink), flush(), clear(), onSaved(text, ink)}: saves are applied in order,
 * one at a time, and a save asked for while another is being kept keeps only the latest words.
 * `ink` is the strokes written by hand (js/ink/pad.js), or null; load() gives {text, ink}.
 */
export function draftKeeper(notebookId) {
  // The words still to keep (null: none), and the keeping under way, if any.
  let wanted = null;
  let keeping = null;
  const keeper = { onSaved: () => {} };

  // An empty draft is no draft: deleted, so a reload finds nothing to bring back.
  const store = async ({ text, ink }) => {
    if (text === "" && !ink?.length) {
      await withStore(DRAFTS, "readwrite", (s) => s.delete(notebookId));
    } else {
      const body = ink?.length ? { text, ink } : { text };
      const sealed = await sealOnDevice(label(notebookId), utf8(JSON.stringify(body)));
      await withStore(DRAFTS, "readwrite", (s) => s.put({ notebookId, sealed, savedAt: Date.now() }));
    }
    keeper.onSaved(text, ink);
  };

  const keepAll = async () => {
    while (wanted !== null) {
      const draft = wanted;
      wanted = null;
      await store(draft).catch((error) => console.warn("draft not kept", error));
    }
    keeping = null;
  };

  keeper.load = async () => {
    const record = await withStore(DRAFTS, "readonly", (s) => s.get(notebookId));
    if (!record) return { text: "", ink: null };
    try {
      const kept = JSON.parse(fromUtf8(await openOnDevice(label(notebookId), record.sealed)));
      return { text: kept.text ?? "", ink: Array.isArray(kept.ink) ? kept.ink : null };
    } catch {
      return { text: "", ink: null }; // sealed under another browser's key: nothing to read
    }
  };

  /** Keep `text` (and strokes) as the draft; resolves once it (or a later one) is kept. */
  keeper.save = (text, ink = null) => {
    wanted = { text, ink };
    keeping ??= keepAll();
    return keeping;
  };

  /** Resolves once every save asked for so far is kept. */
  keeper.flush = () => keeping ?? Promise.resolve();

  keeper.clear = () => keeper.save("");
  return keeper;
}
