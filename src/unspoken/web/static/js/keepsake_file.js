// The keepsake file: the whole notebook — the server's records exactly as they came, the
// notebook's description, and the keys to read them — sealed under a passphrase the person
// chooses (PBKDF2-SHA256, 600,000 iterations, AES-256-GCM). Opened on any device with that
// passphrase, every page is verified again as it was here. Format: docs/durability.md,
// "Keepsake and export".

import { t } from "./i18n.js";
import { Session } from "./session.js";
import { b64decode, b64encode, fromUtf8, randomBytes, utf8 } from "./protocol/encoding.js";
import { contentKey } from "./protocol/keys.js";
import { openNotebookKey } from "./store.js";

export const FORMAT = "unspoken-keepsake/1";
export const ITERATIONS = 600000;
const PAGE = 500;

async function passphraseKey(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey("raw", utf8(passphrase.normalize("NFC")), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

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
  const contents = {
    notebook: await session.refresh(),
    records: await allRecords(session),
    member: record.memberId,
    publicKey: b64encode(record.publicKey),
    partnerKey: record.partnerKey ? b64encode(record.partnerKey) : null,
    notebookKey: b64encode(await openNotebookKey(record)),
  };
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await passphraseKey(passphrase, salt, ITERATIONS);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: aadFor(session.id) },
    key,
    utf8(JSON.stringify(contents)),
  );
  return {
    format: FORMAT,
    notebook: session.id,
    exported_at: new Date().toISOString(),
    kdf: { name: "PBKDF2-SHA256", iterations: ITERATIONS, salt: b64encode(salt) },
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
  if (file?.format !== FORMAT || file.kdf?.name !== "PBKDF2-SHA256") {
    throw new Error(t("keepsake.not_this_version"));
  }
  // Fewer iterations than we write would make a forged file cheap to guess at: refuse it.
  const iterations = Math.max(ITERATIONS, Number(file.kdf.iterations) || 0);
  try {
    const key = await passphraseKey(passphrase, b64decode(file.kdf.salt), iterations);
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
  const session = new Session({
    notebookId,
    memberId: contents.member,
    token: null,
    publicKey: b64decode(contents.publicKey),
    partnerKey: contents.partnerKey ? b64decode(contents.partnerKey) : null,
    contentKey: await contentKey(b64decode(contents.notebookKey), notebookId),
  });
  const records = contents.records;
  const head = records.at(-1)?.seq ?? 0;
  session.notebook = contents.notebook;
  session.api = {
    get: async () => contents.notebook,
    records: async (after, limit) => ({
      records: records.filter((r) => r.seq > after).slice(0, limit),
      head_seq: head,
    }),
  };
  return session;
}
