// The keepsake file: the whole notebook — the server's records exactly as they came, the
// notebook's description, and the keys to read them — sealed under a passphrase the person
// chooses (PBKDF2-SHA256, 600,000 iterations, AES-256-GCM). Opened on any device with that
// passphrase, every page is verified again as it was here. Format: docs/durability.md,
// "Keepsake and export".

import { t } from "./i18n.js";
import { Session } from "./session.js";
import { b64decode, b64encode, fromUtf8, randomBytes, utf8 } from "./protocol/encoding.js";
import { contentKey } from "./protocol/keys.js";
import { KDF, LockError, MIN_ITERATIONS, acceptableKdf, notebookKeys, passphraseKey } from "./vault.js";
import { reasonWords } from "./views/frame.js";

export const FORMAT = "unspoken-keepsake/1";
export const ITERATIONS = MIN_ITERATIONS;
const PAGE = 500;

const aadFor = (notebookId) => utf8(`${FORMAT}/${notebookId}`);

async function allRecords(session) {
  const records = [];
  for (;;) {
    const page = await session.api.records(records.at(-1)?.seq ?? 0, PAGE);
    records.push(...page.records);
    if (!page.records.length || records.at(-1).seq >= page.head_seq) return records;
  }
}

/** The keepsake of a notebook as a plain object, ready to be saved as JSON. */
export async function makeKeepsake(session, passphrase) {
  const { record } = session;
  const keys = await notebookKeys(record, session.unlocked.key);
  const contents = {
    notebook: await session.refresh(),
    records: await allRecords(session),
    member: record.memberId,
    publicKey: b64encode(record.ownAnchor ?? record.publicKey),
    partnerKey: record.partnerKey ? b64encode(record.partnerKey) : null,
    // Where signed acts began for the device that kept it (docs/protocol.md, "Protocol v2").
    signedFrom: record.signedFrom ?? 0,
    notebookKey: b64encode(keys[0]),
    epochKeys: Object.fromEntries(Object.entries(keys).map(([n, key]) => [n, b64encode(key)])),
  };
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const kdf = { name: KDF, iterations: ITERATIONS, salt };
  const key = await passphraseKey(passphrase, kdf);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: aadFor(session.id) },
    key,
    utf8(JSON.stringify(contents)),
  );
  return {
    format: FORMAT,
    notebook: session.id,
    exported_at: new Date().toISOString(),
    kdf: { name: KDF, iterations: ITERATIONS, salt: b64encode(salt) },
    cipher: "AES-256-GCM",
    nonce: b64encode(nonce),
    ct: b64encode(new Uint8Array(ct)),
  };
}

/** Open a keepsake file's text; throws a plain sentence if it is not one or the passphrase is wrong. */
export async function openKeepsake(text, passphrase) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new Error(t("keepsake.not_keepsake"));
  }
  if (file?.format !== FORMAT || file.kdf?.name !== KDF) {
    throw new Error(t("keepsake.not_this_version"));
  }
  // Weaker parameters than we write would make the passphrase cheap to guess at, and a file is
  // outside this device's control: refuse them, plainly, before deriving anything.
  try {
    acceptableKdf(file.kdf);
  } catch (error) {
    if (!(error instanceof LockError) && !(error?.name === "ProtocolError")) throw error;
    throw new Error(t("keepsake.kdf_refused", { reason: reasonWords(error.message) }), {
      cause: error,
    });
  }
  try {
    const key = await passphraseKey(passphrase, file.kdf);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: b64decode(file.nonce), additionalData: aadFor(file.notebook) },
      key,
      b64decode(file.ct),
    );
    return JSON.parse(fromUtf8(new Uint8Array(plain)));
  } catch {
    throw new Error(t("keepsake.wrong_passphrase"));
  }
}

/** A read-only session over a keepsake's contents: the same checks, no server. */
export async function keepsakeSession(contents) {
  const notebookId = contents.notebook.id;
  const keyring = new Map([[0, await contentKey(b64decode(contents.notebookKey), notebookId)]]);
  for (const [n, key] of Object.entries(contents.epochKeys ?? {})) {
    keyring.set(Number(n), await contentKey(b64decode(key), notebookId));
  }
  const record = {
    notebookId,
    memberId: contents.member,
    publicKey: b64decode(contents.publicKey),
    partnerKey: contents.partnerKey ? b64decode(contents.partnerKey) : null,
    // A keepsake made before protocol v2 holds only v1 records: none of its acts was signed.
    signedFrom: contents.signedFrom ?? Number.MAX_SAFE_INTEGER,
  };
  const session = new Session(record, { device: null, exchange: null, keyring, token: null, key: null });
  await session.anchorOwn();
  const records = contents.records;
  const head = records.at(-1)?.seq ?? 0;
  session.notebook = contents.notebook;
  await session.anchorPartner();
  session.api = {
    get: async () => contents.notebook,
    records: async (after, limit) => ({
      records: records.filter((r) => r.seq > after).slice(0, limit),
      head_seq: head,
    }),
  };
  return session;
}
