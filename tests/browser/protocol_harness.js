// Runs the browser's protocol modules over the shared vectors and reports what it computed,
// so test_vectors.py can compare byte for byte. Loaded by Chromium from the static test server.

import * as box from "/static/js/protocol/box.js";
import * as chain from "/static/js/protocol/chain.js";
import * as devices from "/static/js/protocol/devices.js";
import * as exchange from "/static/js/protocol/exchange.js";
import * as enc from "/static/js/protocol/encoding.js";
import * as items from "/static/js/protocol/items.js";
import * as keys from "/static/js/protocol/keys.js";
import * as messages from "/static/js/protocol/messages.js";
import { WORDS, safetyPhrase } from "/static/js/protocol/safety.js";

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);

// Ed25519 private keys import from a raw seed through the fixed PKCS#8 prefix (RFC 8410).
const PKCS8_PREFIX = unhex("302e020100300506032b657004220420");

async function deviceFromSeed(seedHex) {
  const pkcs8 = enc.concat(PKCS8_PREFIX, unhex(seedHex));
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicKey = enc.b64decode(jwk.x);
  return { privateKey, publicKey, id: await keys.deviceId(publicKey) };
}

function refuses(fn) {
  try {
    fn();
    return false;
  } catch (error) {
    return error instanceof enc.ProtocolError;
  }
}

async function encoding(v) {
  return {
    b64: v.b64.map((c) => ({ text: enc.b64encode(unhex(c.hex)), hex: hex(enc.b64decode(c.text)) })),
    b64_invalid_refused: v.b64_invalid.map((text) => refuses(() => enc.b64decode(text))),
    lp: v.lp.map((c) => hex(enc.lp(...c.parts_hex.map(unhex)))),
    padding: v.padding.map((c) => {
      const padded = box.pad(new Uint8Array(c.plaintext_len));
      return { padded_len: padded.length, unpadded_len: box.unpad(padded).length };
    }),
  };
}

async function derivations(v) {
  return {
    derive: await Promise.all(
      v.derive.map(async (c) => hex(await keys.derive(unhex(c.ikm_hex), c.label, c.context))),
    ),
    content_key: await Promise.all(
      v.content_key.map(async (c) =>
        hex(await keys.derive(unhex(c.notebook_key_hex), "content", c.notebook_id)),
      ),
    ),
    devices: await Promise.all(
      v.devices.map(async (c) => {
        const device = await deviceFromSeed(c.seed_hex);
        return { public_hex: hex(device.publicKey), device_id: device.id };
      }),
    ),
  };
}

async function invite(v) {
  const c = v.invite;
  const derived = await keys.inviteKeys(enc.b64decode(c.secret), c.invite_id);
  const joinerKey = unhex(c.joiner_device_key_hex);
  const wrap = await keys.aesKey(unhex(c.wrap_hex));
  const bundle = {
    notebookId: c.bundle.notebook_id,
    notebookKey: enc.b64decode(c.bundle.notebook_key),
    creatorDeviceKey: enc.b64decode(c.bundle.creator_device_key),
  };
  const opened = await messages.openBundle(derived.wrap, c.invite_id, unhex(c.box_hex));
  const tampered = unhex(c.key_mac_hex);
  tampered[0] ^= 1;
  return {
    claim_hex: hex(await keys.derive(enc.b64decode(c.secret), "invite-claim", c.invite_id)),
    wrap_hex: hex(await keys.derive(enc.b64decode(c.secret), "invite-wrap", c.invite_id)),
    mac_hex: hex(await keys.derive(enc.b64decode(c.secret), "invite-mac", c.invite_id)),
    claim_hash_hex: hex(derived.claimHash),
    key_mac_hex: hex(await keys.joinerKeyMac(derived.mac, c.invite_id, joinerKey)),
    key_mac_verifies: await keys.verifyJoinerKeyMac(
      derived.mac,
      c.invite_id,
      joinerKey,
      unhex(c.key_mac_hex),
    ),
    tampered_key_mac_verifies: await keys.verifyJoinerKeyMac(
      derived.mac,
      c.invite_id,
      joinerKey,
      tampered,
    ),
    aad_hex: hex(box.inviteAad(c.invite_id)),
    box_hex: hex(await messages.sealBundle(wrap, c.invite_id, bundle, unhex(c.nonce_hex))),
    opened: {
      notebook_id: opened.notebookId,
      notebook_key: enc.b64encode(opened.notebookKey),
      creator_device_key: enc.b64encode(opened.creatorDeviceKey),
    },
  };
}

async function entry(c) {
  const device = await deviceFromSeed(c.device_seed_hex);
  const ck = await keys.aesKey(unhex(c.ck_hex));
  const place = {
    notebookId: c.notebook_id,
    chapter: c.chapter,
    entryId: c.entry_id,
    prev: unhex(c.prev_hex),
  };
  const sealed = await messages.sealEntry(ck, device, place, c.text, unhex(c.nonce_hex));
  const record = {
    chapter: c.chapter,
    id: c.entry_id,
    device: c.device_id,
    prev: enc.b64encode(unhex(c.prev_hex)),
    ct: enc.b64encode(unhex(c.box_hex)),
    sig: enc.b64encode(unhex(c.sig_hex)),
  };
  const opened = await messages.openEntry(ck, device.publicKey, c.notebook_id, record);
  const badSig = unhex(c.sig_hex);
  badSig[10] ^= 1;
  return {
    aad_hex: hex(sealed.aad),
    box_hex: hex(sealed.box),
    sig_hex: hex(sealed.sig),
    signed_hex: hex(chain.signedMessage(sealed.aad, sealed.box)),
    hash_hex: hex(sealed.hash),
    plaintext_hex: hex(await box.openBox(ck, unhex(c.box_hex), unhex(c.aad_hex))),
    opened_text: opened.text,
    opened_hash_hex: hex(opened.hash),
    bad_sig_verifies: await chain.verifySignature(
      device.publicKey,
      unhex(c.aad_hex),
      unhex(c.box_hex),
      badSig,
    ),
  };
}

async function profile(v) {
  const c = v.profile;
  const device = await deviceFromSeed(c.device_seed_hex);
  const ck = await keys.aesKey(unhex(c.ck_hex));
  const sealed = await messages.sealProfile(
    ck,
    device,
    c.notebook_id,
    c.profile,
    unhex(c.nonce_hex),
  );
  const opened = await messages.openProfile(
    ck,
    device.publicKey,
    c.notebook_id,
    c.device_id,
    enc.b64encode(unhex(c.box_hex)),
    enc.b64encode(unhex(c.sig_hex)),
  );
  return { aad_hex: hex(sealed.aad), box_hex: hex(sealed.box), sig_hex: hex(sealed.sig), opened };
}

async function item(c) {
  const device = await deviceFromSeed(c.device_seed_hex);
  const ck = await keys.aesKey(unhex(c.ck_hex));
  const place = { notebookId: c.notebook_id, kind: c.kind, itemId: c.item_id, ref: c.ref };
  const sealed = await items.sealItem(ck, device, place, c.body, unhex(c.nonce_hex));
  const ct = enc.b64encode(unhex(c.box_hex));
  const opened = await items.openItem(ck, device.publicKey, place, c.device_id, ct, enc.b64encode(unhex(c.sig_hex)));
  const badSig = unhex(c.sig_hex);
  badSig[10] ^= 1;
  const wrongRef = { ...place, ref: `${c.ref}x` };
  return {
    aad_hex: hex(sealed.aad),
    box_hex: hex(sealed.box),
    signed_hex: hex(chain.signedMessage(sealed.aad, sealed.box)),
    sig_hex: hex(sealed.sig),
    opened,
    bad_sig_refused: await refusesAsync(() =>
      items.openItem(ck, device.publicKey, place, c.device_id, ct, enc.b64encode(badSig)),
    ),
    wrong_ref_refused: await refusesAsync(() =>
      items.openItem(ck, device.publicKey, wrongRef, c.device_id, ct, enc.b64encode(unhex(c.sig_hex))),
    ),
  };
}

async function draft(c) {
  const device = await deviceFromSeed(c.device_seed_hex);
  const ck = await keys.aesKey(unhex(c.ck_hex));
  const place = { notebookId: c.notebook_id, chapter: c.chapter, draftId: c.draft_id, n: c.n };
  const sealed = await items.sealDraft(ck, device, place, c.text, unhex(c.nonce_hex));
  const frame = {
    chapter: c.chapter,
    draft: c.draft_id,
    n: c.n,
    device: c.device_id,
    ct: enc.b64encode(unhex(c.box_hex)),
    sig: enc.b64encode(unhex(c.sig_hex)),
  };
  return {
    aad_hex: hex(sealed.aad),
    box_hex: hex(sealed.box),
    sig_hex: hex(sealed.sig),
    opened_text: await items.openDraft(ck, device.publicKey, c.notebook_id, frame),
    moved_frame_refused: await refusesAsync(() =>
      items.openDraft(ck, device.publicKey, c.notebook_id, { ...frame, n: c.n + 1 }),
    ),
  };
}

async function refusesAsync(fn) {
  try {
    await fn();
    return false;
  } catch (error) {
    return error instanceof enc.ProtocolError;
  }
}

export async function run(v) {
  return {
    words: [...WORDS],
    encoding: await encoding(v),
    derivations: await derivations(v),
    invite: await invite(v),
    entries: await Promise.all(v.entries.map(entry)),
    profile: await profile(v),
    items: await Promise.all(v.items.map(item)),
    drafts: await Promise.all(v.drafts.map(draft)),
    safety: await Promise.all(
      v.safety.map((c) =>
        safetyPhrase(c.notebook_id, ...(c.keys_hex ?? [c.key_a_hex, c.key_b_hex]).map(unhex)),
      ),
    ),
    epochs: await epochs(v.epochs),
    exchange_keys: await Promise.all(v.exchange_keys.map(exchangeKey)),
    wraps: await Promise.all(v.wraps.map(wrap)),
    device_link: await deviceLink(v.device_link),
  };
}

const X25519_PREFIX = unhex("302e020100300506032b656e04220420");
const x25519Key = (privateHex) => exchange.exchangeKeyFromPkcs8(enc.concat(X25519_PREFIX, unhex(privateHex)));

async function ring(epoch, ckHex) {
  const keyring = new Map();
  for (let n = 0; n <= epoch; n++) keyring.set(n, await keys.aesKey(n === epoch ? unhex(ckHex) : new Uint8Array(32)));
  return keyring;
}

async function epochs(v) {
  const entries = [];
  for (const c of v.entries) {
    const device = await deviceFromSeed(c.device_seed_hex);
    const keyring = await ring(c.epoch, c.ck_hex);
    const place = { notebookId: c.notebook_id, chapter: c.chapter, entryId: c.entry_id, prev: unhex(c.prev_hex) };
    const sealed = await messages.sealEntry(keyring, device, place, c.text, unhex(c.nonce_hex));
    const record = {
      chapter: c.chapter, id: c.entry_id, device: c.device_id, prev: enc.b64encode(place.prev),
      ct: enc.b64encode(sealed.box), sig: enc.b64encode(sealed.sig),
    };
    const only = new Map([[c.epoch, keyring.get(c.epoch)]]);
    const moved = unhex(c.box_hex);
    moved[4] ^= 3;
    entries.push({
      box_hex: hex(sealed.box), sig_hex: hex(sealed.sig), hash_hex: hex(sealed.hash),
      epoch_of: box.epochOf(sealed.box),
      opened_text: (await messages.openEntry(only, device.publicKey, c.notebook_id, record)).text,
      moved_refused: await refusesAsync(() => box.openBox(keyring.get(c.epoch), moved, unhex(c.aad_hex))),
      missing_refused: await refusesAsync(() => box.openBox(new Map([[0, keyring.get(0)]]), sealed.box, unhex(c.aad_hex))),
    });
  }
  const c = v.item;
  const device = await deviceFromSeed(c.device_seed_hex);
  const keyring = await ring(c.epoch, c.ck_hex);
  const place = { notebookId: c.notebook_id, kind: c.kind, itemId: c.item_id, ref: c.ref };
  const sealed = await items.sealItem(keyring, device, place, c.body, unhex(c.nonce_hex));
  const opened = await items.openItem(keyring, device.publicKey, place, c.device_id, enc.b64encode(sealed.box), enc.b64encode(sealed.sig));
  return { entries, item: { box_hex: hex(sealed.box), sig_hex: hex(sealed.sig), opened } };
}

async function exchangeKey(c) {
  const device = await deviceFromSeed(c.device_seed_hex);
  const kx = await x25519Key(c.private_hex);
  const sig = await exchange.signExchangeKey(device, c.notebook_id, kx.publicKey);
  // A key of the wrong length is refused like any other: as a promise of false, not a bare false.
  const short = exchange.verifyExchangeKey(device.publicKey, c.notebook_id, kx.publicKey.subarray(1), sig);
  return {
    public_hex: hex(kx.publicKey),
    sig_hex: hex(sig),
    verifies: await exchange.verifyExchangeKey(device.publicKey, c.notebook_id, kx.publicKey, sig),
    elsewhere: await exchange.verifyExchangeKey(device.publicKey, "elsewhere", kx.publicKey, sig),
    short_is_promise: short instanceof Promise,
    short_verifies: await short,
  };
}

async function wrap(c) {
  const by = await deviceFromSeed(c.by_seed_hex);
  const me = await x25519Key(c.recipient_private_hex);
  const eph = await x25519Key(c.ephemeral_private_hex);
  const place = { notebookId: c.notebook_id, epoch: c.epoch, deviceId: c.device_id };
  const made = await exchange.wrapEpochKey(by, place, me.publicKey, unhex(c.epoch_key_hex), eph, unhex(c.nonce_hex));
  const stranger = await keys.generateDeviceKey();
  return {
    wrap_hex: hex(made.wrap),
    sig_hex: hex(made.sig),
    unwrapped_hex: hex(await exchange.unwrapEpochKey(me, place, unhex(c.wrap_hex), unhex(c.sig_hex), by.publicKey)),
    wrong_epoch_refused: await refusesAsync(() =>
      exchange.unwrapEpochKey(me, { ...place, epoch: c.epoch + 1 }, unhex(c.wrap_hex), unhex(c.sig_hex), by.publicKey),
    ),
    stranger_refused: await refusesAsync(() =>
      exchange.unwrapEpochKey(me, place, unhex(c.wrap_hex), unhex(c.sig_hex), stranger.publicKey),
    ),
  };
}

async function deviceLink(c) {
  const link = await devices.linkKeys(enc.b64decode(c.secret), c.link_id);
  const by = await deviceFromSeed(c.by_seed_hex);
  const deviceKey = unhex(c.device_key_hex);
  const exchangeKeyBytes = unhex(c.exchange_key_hex);
  const opened = await devices.openPackage(link.wrap, c.link_id, unhex(c.package_box_hex));
  const pkg = {
    notebookId: c.notebook_id,
    memberId: c.member_id,
    anchors: Object.fromEntries(Object.entries(c.package.anchors).map(([m, k]) => [m, enc.b64decode(k)])),
    keys: Object.fromEntries(Object.entries(c.package.epoch_keys).map(([n, k]) => [n, enc.b64decode(k)])),
  };
  const tampered = unhex(c.device_mac_hex);
  tampered[0] ^= 1;
  return {
    claim_hash_hex: hex(link.claimHash),
    claim_hex: hex(link.claim),
    device_mac_hex: hex(await devices.deviceMac(link.mac, c.link_id, deviceKey, exchangeKeyBytes)),
    mac_verifies: await devices.verifyDeviceMac(link.mac, c.link_id, deviceKey, exchangeKeyBytes, unhex(c.device_mac_hex)),
    tampered_verifies: await devices.verifyDeviceMac(link.mac, c.link_id, deviceKey, exchangeKeyBytes, tampered),
    cert_hex: hex(await devices.certify(by, c.notebook_id, c.member_id, deviceKey)),
    revoke_sig_hex: hex(await devices.signRevocation(by, c.notebook_id, c.member_id, c.revoked_device_id)),
    package_box_hex: hex(await devices.sealPackage(link.wrap, c.link_id, pkg, unhex(c.nonce_hex))),
    opened: {
      notebook_id: opened.notebookId,
      member_id: opened.memberId,
      anchors: Object.fromEntries(Object.entries(opened.anchors).map(([m, k]) => [m, enc.b64encode(k)])),
      epoch_keys: Object.fromEntries(Object.entries(opened.keys).map(([n, k]) => [n, enc.b64encode(k)])),
    },
  };
}

/** Open an entry made by Python, with keys the test hands over. */
export async function openForeignEntry(input) {
  const ck = await keys.aesKey(unhex(input.ck_hex));
  const opened = await messages.openEntry(
    ck,
    unhex(input.public_hex),
    input.notebook_id,
    input.record,
  );
  return { text: opened.text, hash_hex: hex(opened.hash) };
}

/** Seal an entry with a fresh, non-extractable device key, for Python to verify and open. */
export async function makeEntry(input) {
  const device = await keys.generateDeviceKey();
  const ck = await keys.aesKey(unhex(input.ck_hex));
  const place = {
    notebookId: input.notebook_id,
    chapter: input.chapter,
    entryId: input.entry_id,
    prev: unhex(input.prev_hex),
  };
  const sealed = await messages.sealEntry(ck, device, place, input.text);
  return {
    public_hex: hex(device.publicKey),
    device_id: device.id,
    aad_hex: hex(sealed.aad),
    box_hex: hex(sealed.box),
    sig_hex: hex(sealed.sig),
    hash_hex: hex(sealed.hash),
    private_extractable: device.privateKey.extractable,
  };
}

/** Many foreign entries at once: the round-trip test opens hundreds in one call. */
export function openForeignEntries(inputs) {
  return Promise.all(inputs.map(openForeignEntry));
}

/** Many browser-made entries at once, each with its own device key. */
export function makeEntries(inputs) {
  return Promise.all(inputs.map(makeEntry));
}

/** Each case of the log-following vectors through the browser's log (js/log.js). */
export async function followLog(v) {
  const { Log } = await import("/static/js/log.js");
  const keyring = new Map();
  for (const [n, keyHex] of Object.entries(v.notebook_keys_hex)) {
    keyring.set(Number(n), await keys.contentKey(unhex(keyHex), v.notebook_id));
  }
  const results = [];
  for (const c of v.cases) {
    const registry = new devices.DeviceRegistry(v.notebook_id);
    for (const d of v.devices) await registry.anchor(d.member, unhex(d.public_hex));
    const signedFrom = c.signed_from ?? 0;
    // This device's clock, when the case sets it.
    const now = c.now ? () => Date.parse(c.now) : () => Date.now();
    const log = new Log({ notebookId: v.notebook_id, keyring: () => keyring, registry, signedFrom: () => signedFrom, now });
    const entries = [];
    // As the journal does: a record seen already is skipped; a refused entry is kept, flagged,
    // and so is a refused act (not followed).
    for (const record of c.records) {
      if (log.place(record) === "old") continue;
      const entry = await log.take(record);
      if (entry) entries.push({ seq: entry.seq, text: entry.text ?? null, ink: entry.ink, reasons: entry.reasons, problem: entry.problem });
      else if (log.act?.problem) entries.push({ seq: record.seq, text: null, reasons: log.act.reasons, problem: log.act.problem });
    }
    results.push({
      seq: log.lastSeq,
      pen: log.pen,
      chapter: log.chapter,
      mode: log.mode,
      chapter_open: log.chapterOpen,
      pause: log.pause,
      left: [...log.left].sort(),
      crossed: [...log.crossed].sort(),
      mirror: log.mirror,
      entries,
    });
  }
  return results;
}
