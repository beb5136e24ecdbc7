// The kinds of the notebook's records and what each means to a client, from the data file the
// server and the Python SDK read too (static/vocabulary/records.json; docs/protocol.md,
// "Records"). KIND.PAUSE_STARTED is "pause.started"; a name the file does not hold throws,
// so a misspelt kind cannot pass as a string that matches nothing.

import { readVocabulary } from "./vocabulary.js";

/**
 * What one kind of record means to a client.
 * @typedef {{ refreshes?: boolean, note?: boolean, news?: boolean, kept?: boolean,
 *             clears_knock?: boolean, commitment?: boolean, trust?: boolean,
 *             sealed?: Record<string, string> }} KindInfo
 */

const data = /** @type {{ kinds: Record<string, KindInfo>, refusals: Record<string, string> }} */ (
  await readVocabulary("records.json")
);

/** kind -> {refreshes, note, news, kept, clears_knock, commitment, trust, sealed}. */
export const KINDS = Object.freeze(data.kinds);

/** Why a client refuses a record of the log: code -> the words both clients use. */
export const REFUSALS = Object.freeze(data.refusals);

const named = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind.toUpperCase().replace(".", "_"), kind]));

/** @type {Readonly<Record<string, string>>} */
export const KIND = new Proxy(Object.freeze(named), {
  get(target, name) {
    if (typeof name !== "string") return undefined;
    if (!(name in target)) throw new Error(`no record kind is named ${name}`);
    return target[name];
  },
});

/**
 * Whether records of `kind` have `property` ("refreshes", "note", "kept"…).
 * @param {string} kind
 * @param {keyof KindInfo} property
 * @returns {boolean}
 */
export function is(kind, property) {
  return KINDS[kind]?.[property] === true;
}
