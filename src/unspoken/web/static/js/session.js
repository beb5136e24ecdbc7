// One device's view of one notebook: its keys (unsealed from the vault into memory), the
// server's notebook answer, and the devices this device trusts — each member's first device,
// pinned at pairing, then every device the log shows being certified or revoked by them. Items,
// entries and profiles are opened only with a key of a device trusted for their writer.

import { notebookApi } from "./api.js";
import { claimHeader } from "./protocol/acts.js";
import { epochOf, itemAad } from "./protocol/box.js";
import { sign, verifySignature } from "./protocol/chain.js";
import { DeviceRegistry } from "./protocol/devices.js";
import { b64decode, b64encode, bytesEqual, newId } from "./protocol/encoding.js";
import { signExchangeKey, unwrapEpochKey } from "./protocol/exchange.js";
import { openItem, sealItem } from "./protocol/items.js";
import { contentKey, deviceId } from "./protocol/keys.js";
import { openProfile, sealProfile } from "./protocol/messages.js";
import { keepNotebook, lastKeptSeq, lastNotebook } from "./local_copy.js";
import { unreachable } from "./outbox.js";
import { safetyPhrase } from "./protocol/safety.js";
import { loadNotebook, saveNotebook, updateNotebook, useLocalKey } from "./store.js";
import { LockError, addKeys, migrateLegacy, unlock } from "./vault.js";

export class Session {
  /** `unlocked` is what unlock() opened: {device, exchange, keyring, token, key}. */
  constructor(record, unlocked) {
    this.record = record;
    this.unlocked = unlocked;
    this.api = notebookApi(record.notebookId, unlocked.token, {
      sign: (acts) => claimHeader(this.device, this.id, this.record.memberId, this.seen(), acts),
      now: () => this.acting(),
    });
    // Where this device is in the log, as its journal has followed it (protocol v2 `seen`).
    this.seen = () => ({ seq: 0, digest: new Uint8Array(32) });
    // What the partners' checked acts say now, as the journal followed them (log.js): the pen,
    // the chapter and its mode, a pause, a goodbye. Never the server's view of it.
    this.followed = () => ({ pen: null, chapter: 1, chapterOpen: true, mode: "turns", pause: null, left: new Set() });
    this.notebook = null;
    // A new key epoch this device has begun and not yet kept (pairing.js `decline`): a new
    // invite waits for it, or its bundle would lack the key the joiner must write under.
    this.rekeying = Promise.resolve();
    // True while the notebook shown is the copy kept on this device (the server is out of reach).
    this.offline = false;
    this.registry = new DeviceRegistry(record.notebookId);
    this.anchored = false;
  }

  /** The stored record, or null; "locked" records need a passphrase (Session.unlock). */
  static async load(notebookId) {
    let record = await loadNotebook(notebookId);
    if (!record) return null;
    if (!record.vault) {
      record = await migrateLegacy(record);
      await saveNotebook(record);
    }
    if (record.vault.lock) return { locked: true, record };
    return Session.open(record);
  }

  static async open(record, passphrase) {
    const unlocked = await unlock(record, passphrase);
    useLocalKey(record.notebookId, record.vault.lock ? unlocked.key : null);
    const session = new Session(record, unlocked);
    await session.anchorOwn();
    await session.pinSignedFrom();
    return session;
  }

  static isLocked(loaded) {
    return Boolean(loaded?.locked);
  }

  get id() {
    return this.record.notebookId;
  }

  get token() {
    return this.unlocked.token;
  }

  get device() {
    return this.unlocked.device;
  }

  /** Epoch → content key: sealing uses the newest, opening each box's own. */
  get keyring() {
    return this.unlocked.keyring;
  }

  get epoch() {
    return Math.max(...this.keyring.keys());
  }

  get locked() {
    return Boolean(this.record.vault?.lock);
  }

  async anchorOwn() {
    await this.registry.anchor(this.record.memberId, this.record.ownAnchor ?? this.record.publicKey);
  }

  async refresh() {
    this.notebook = await this.api.get();
    this.offline = false;
    keepNotebook(this.id, this.notebook).catch((error) => console.warn("notebook not kept", error));
    await this.anchorPartner();
    return this.notebook;
  }

  /** After a refresh failed: open the copy kept on this device if the server is out of reach. */
  async openKeptCopy(error) {
    if (!unreachable(error)) return false;
    this.notebook = await lastNotebook(this.id).catch(() => null);
    this.offline = this.notebook !== null;
    if (this.offline) await this.anchorPartner();
    return this.offline;
  }

  /** Pin the partner's first device, once their member id is known. */
  async anchorPartner() {
    const partner = this.partner();
    if (!this.anchored && partner && this.record.partnerKey && partner.state === "active") {
      await this.registry.anchor(partner.id, this.record.partnerKey);
      this.anchored = true;
    }
  }

  me() {
    return this.notebook?.members.find((m) => m.id === this.record.memberId) ?? null;
  }

  /** What this device believes of the notebook, for the acts it signs (api.js). */
  acting() {
    const followed = this.followed();
    const pause = this.activePause();
    return {
      chapter: followed.chapter,
      open: followed.chapterOpen,
      partner: this.partner()?.id ?? "",
      pausing: Boolean(pause && pause.by === this.record.memberId),
    };
  }

  /**
   * Every act after this log position must be signed by its author's device (protocol v2). A
   * notebook begun, joined or linked under v2 keeps 0 from the start: every act in it (pairing.js,
   * devices.js). One kept on this device from before v2 pins it here, once, where this device
   * itself had followed the log to under v1: the newest record it kept (local_copy.js). Never the
   * head the server reports: a server claiming a far head would pass every later unsigned act off
   * as v1's.
   */
  async pinSignedFrom() {
    if (Number.isInteger(this.record.signedFrom)) return;
    this.record.signedFrom = await lastKeptSeq(this.id).catch(() => 0);
    if (await loadNotebook(this.id)) await updateNotebook(this.id, { signedFrom: this.record.signedFrom });
  }

  partner() {
    return this.notebook?.members.find((m) => m.id !== this.record.memberId) ?? null;
  }

  /**
   * The partner's trusted device that sent a live frame (a draft forming, a read position),
   * or null: a frame from this member's own devices, an untrusted one, or one naming another
   * member than its device's says nothing.
   */
  frameSender(frame) {
    let sender;
    try {
      sender = this.trusted(frame.device, epochOf(b64decode(frame.ct)));
    } catch {
      return null;
    }
    const partners = sender && sender.member === frame.member && frame.member !== this.record.memberId;
    return partners ? sender : null;
  }

  /** The trusted device with this id, if it sealed a box of `epoch` before any revocation. */
  trusted(id, epoch = 0) {
    return this.registry.trusted(id, epoch);
  }

  /** {name, hand} of a member, or null if absent; throws if the profile does not verify.
   * `joinerKey` is for a joiner not yet let in, whose key the creator checked by key_mac. */
  async profileOf(member, joinerKey = null) {
    if (!member.profile) return null;
    const { ct, sig, device } = member.profile;
    let key = null;
    if (joinerKey) {
      if ((await deviceId(joinerKey)) === device) key = joinerKey;
    } else {
      const found = this.trusted(device, epochOf(b64decode(ct)));
      if (found?.member === member.id) key = found.key;
    }
    if (!key) throw new Error("this profile is not signed by the key we trust for them");
    return openProfile(this.keyring, key, this.id, device, ct, sig);
  }

  /** Seal and sign a rule's text as an item box: {id, ct, sig}, ready for a request body. */
  async sealItem(kind, body, { itemId = newId(), ref = "" } = {}) {
    const place = { notebookId: this.id, kind, itemId, ref };
    const sealed = await sealItem(this.keyring, this.device, place, body);
    return { id: itemId, ct: b64encode(sealed.box), sig: b64encode(sealed.sig) };
  }

  /** {text} (or a chapter's meta) of an item, verified against its sender's trusted key. */
  async openItem(kind, item, { ref = "", from = null } = {}) {
    const sender = this.trusted(item.device, epochOf(b64decode(item.ct)));
    if (!sender || (from && sender.member !== from)) {
      throw new Error(`this ${kind} is not signed by a device we trust for its writer`);
    }
    const place = { notebookId: this.id, kind, itemId: item.id, ref };
    return openItem(this.keyring, sender.key, place, item.device, item.ct, item.sig);
  }

  /**
   * Who signed an agreement's text, verified here: the proposer's item signature and the
   * co-signer's signature over exactly the same message (the proposer's aad and box).
   */
  async agreementSigners(text, signatures) {
    const additionalData = itemAad(this.id, "agreement", text.id, "", text.device);
    const box = b64decode(text.ct);
    const signers = new Set();
    for (const signature of signatures) {
      const device = this.registry.get(signature.device);
      if (!device || device.member !== signature.member) continue;
      if (await verifySignature(device.key, additionalData, box, b64decode(signature.sig))) {
        signers.add(signature.member);
      }
    }
    return signers;
  }

  /** This device's co-signature of the partner's agreement text. */
  async coSign(text) {
    const additionalData = itemAad(this.id, "agreement", text.id, "", text.device);
    return b64encode(await sign(this.device.privateKey, additionalData, b64decode(text.ct)));
  }

  /**
   * The server's notebook with what the partners' checked acts say laid over it: the pen, the
   * chapter and whether it is open, the mode, a pause, who left. What a view shows of those
   * comes from here, never from `notebook` alone.
   */
  shown() {
    const followed = this.followed();
    return {
      ...(this.notebook ?? {}),
      pen: followed.pen,
      chapter: followed.chapter,
      chapter_state: followed.chapterOpen ? "open" : "closed",
      mode: followed.mode,
      pause: followed.pause,
      left: [...followed.left],
    };
  }

  /** The pause in force now, as the acts say, or null: one whose `until` has passed silences nobody. */
  activePause(now = Date.now()) {
    const pause = this.followed().pause;
    return pause && Date.parse(pause.until) > now ? pause : null;
  }

  async uploadProfile(profile) {
    const sealed = await sealProfile(this.keyring, this.device, this.id, profile);
    await this.api.putProfile({ ct: b64encode(sealed.box), sig: b64encode(sealed.sig) });
  }

  /** An older device publishes the exchange key its vault holds, once. */
  async publishExchangeKey() {
    const mine = this.me()?.devices?.find((d) => d.id === this.device.id);
    if (!mine || mine.exchange_key) return;
    const key = this.unlocked.exchange.publicKey;
    const sig = await signExchangeKey(this.device, this.id, key);
    await this.api.putExchangeKey({ key: b64encode(key), sig: b64encode(sig) });
  }

  /**
   * Fetch the epoch keys wrapped for this device that it lacks, each for an epoch the log has
   * announced and signed by the device that began it, trusted then; keep them in the vault. A
   * wrap for an epoch not announced yet waits; one that breaks the rules throws, and is never
   * kept nor sealed under.
   */
  async syncKeys() {
    const answer = await this.api.keys();
    const began = Math.max(0, ...this.registry.began.keys());
    const found = {};
    for (const wrap of answer.keys) {
      if (this.keyring.has(wrap.epoch)) continue;
      if (!this.registry.began.has(wrap.epoch) && wrap.epoch > began) continue;
      const byKey = this.registry.wrapper(wrap.epoch, wrap.by);
      const place = { notebookId: this.id, epoch: wrap.epoch, deviceId: this.device.id };
      found[wrap.epoch] = await unwrapEpochKey(this.unlocked.exchange, place, b64decode(wrap.wrap), b64decode(wrap.sig), byKey);
    }
    await this.keep(found);
  }

  /** Remember new epoch keys ({n: bytes}): in the vault at rest, as CryptoKeys in memory. */
  async keep(keys) {
    if (!Object.keys(keys).length) return;
    const vault = await addKeys(this.record, this.unlocked.key, keys);
    this.record = await updateNotebook(this.id, { vault });
    for (const [n, raw] of Object.entries(keys)) this.keyring.set(Number(n), await contentKey(raw, this.id));
  }

  /** The eight words over every device this device trusts now, of both partners. */
  async phrase() {
    const active = this.registry.active();
    if (new Set(active.map((d) => d.member)).size < 2) return null;
    return safetyPhrase(this.id, ...active.map((d) => d.key));
  }

  /** Whether `key` is the member's listed device `id` (for a joiner awaiting approval). */
  static async keyMatches(key, id) {
    return (await deviceId(key)) === id;
  }

  static sameKey(a, b) {
    return bytesEqual(a, b);
  }
}

export { LockError };
