// The safety phrase two partners compare once, in person, to know no one sits between them.

import { compareBytes, lp } from "./encoding.js";
import { sha256 } from "./keys.js";
import { readVocabulary } from "./vocabulary.js";

const PHRASE_WORDS = 8;

// The 256 words, one file for both clients (static/vocabulary/safety-words.json); the shared
// vectors pin the list, so one byte of the digest picks the same word on both sides.
export const WORDS = Object.freeze(
  /** @type {string[]} */ (await readVocabulary("safety-words.json")),
);
if (new Set(WORDS).size !== 256) throw new Error("the safety phrase needs 256 distinct words");

/**
 * Eight words from every device key of both partners, sorted bytewise, so the order does not
 * matter; with one device each this is the phrase of two keys, as it always was.
 * @param {string} notebookId
 * @param {...Uint8Array} keys
 * @returns {Promise<string>}
 */
export async function safetyPhrase(notebookId, ...keys) {
  const sorted = [...keys].sort(compareBytes);
  const digest = await sha256(lp("unspoken/v1/safety", notebookId, ...sorted));
  return (await distinctWords(digest)).join(" ");
}

/**
 * The words the digest's bytes pick, in order, a word already picked skipped (as
 * `_distinct_words` in protocol/safety.py); should the 32 bytes run out, the digest of the
 * digest goes on.
 * @param {import("./encoding.js").Bytes} digest
 * @returns {Promise<string[]>}
 */
async function distinctWords(digest) {
  /** @type {string[]} */
  const chosen = [];
  let stream = digest;
  for (;;) {
    for (const byte of stream) {
      if (!chosen.includes(WORDS[byte])) chosen.push(WORDS[byte]);
      if (chosen.length === PHRASE_WORDS) return chosen;
    }
    stream = await sha256(stream);
  }
}
