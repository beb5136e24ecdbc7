// The kinds of the notebook's records and what each means to a client, from the data file the
// server and the Python SDK read too (static/vocabulary/records.json; docs/protocol.md,
// "Records"). KIND.PAUSE_STARTED is "pause.started"; a name the file does not hold throws,
// so a misspelt kind cannot pass as a string that matches nothing.

import { readVocabulary } from "./vocabulary.js";

const data = await readVocabulary("records.json");

/** kind -> {refreshes, note, news, kept, clears_knock, commitment, trust, sealed}. */
export const KINDS = Object.freeze(data.kinds);

/** Why a client refuses a record of the log: code -> the words both clients use. */
export const REFUSALS = Object.freeze(data.refusals);

const named = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind.toUpperCase().replace(".", "_"), kind]));

export const KIND = new Proxy(Object.freeze(named), {
  get(target, name) {
    if (typeof name === "string" && !(name in target)) throw new Error(`no record kind is named ${name}`);
    return target[name];
  },
});

/** Whether records of `kind` have `property` ("refreshes", "note", "kept"…). */
export function is(kind, property) {
  return KINDS[kind]?.[property] === true;
}
