// One device's view of one notebook: its stored keys, the server's notebook answer, and the
// partners' profiles — each opened only with a device key this device already trusts.

import { notebookApi } from "./api.js";
import { itemAad } from "./protocol/box.js";
import { sign, verifySignature } from "./protocol/chain.js";
import { b64decode, b64encode, bytesEqual, newId } from "./protocol/encoding.js";
import { openItem, sealItem } from "./protocol/items.js";
import { deviceId } from "./protocol/keys.js";
import { openProfile, sealProfile } from "./protocol/messages.js";
import { keepNotebook, lastNotebook } from "./local_copy.js";
import { unreachable } from "./outbox.js";
import { loadNotebook } from "./store.js";

export class Session {
  constructor(record) {
    this.record = record;
    this.api = notebookApi(record.notebookId, record.token);
    this.notebook = null;
    // True while the notebook shown is the copy kept on this device (the server is out of reach).
    this.offline = false;
  }

  static async load(notebookId) {
    const record = await loadNotebook(notebookId);
    return record ? new Session(record) : null;
  }

  get id() {
    return this.record.notebookId;
  }

  get device() {
    const { privateKey, publicKey, deviceId: id } = this.record;
    return { privateKey, publicKey, id };
  }

  async refresh() {
    this.notebook = await this.api.get();
    this.offline = false;
    keepNotebook(this.id, this.notebook).catch((error) => console.warn("notebook not kept", error));
    return this.notebook;
  }

  /** After a refresh failed: open the copy kept on this device if the server is out of reach. */
  async openKeptCopy(error) {
    if (!unreachable(error)) return false;
    this.notebook = await lastNotebook(this.id).catch(() => null);
    this.offline = this.notebook !== null;
    return this.offline;
  }

  me() {
    return this.notebook?.members.find((m) => m.id === this.record.memberId) ?? null;
  }

  partner() {
    return this.notebook?.members.find((m) => m.id !== this.record.memberId) ?? null;
  }

  /**
   * The device key this device trusts for a member: its own, or the partner's key pinned at
   * pairing (the bundle for the joiner, a verified key_mac for the creator). Never simply what
   * the server lists, so a server that swaps keys is noticed rather than believed.
   */
  trustedKey(memberId) {
    if (memberId === this.record.memberId) return this.record.publicKey;
    return this.record.partnerKey ?? null;
  }

  /** The member's listed device, checked against the trusted key and its own id. */
  async verifiedDevice(member, trustedKey) {
    const device = member?.devices?.[0];
    if (!device || !trustedKey) return null;
    const key = b64decode(device.key);
    if (!bytesEqual(key, trustedKey) || (await deviceId(key)) !== device.id) return null;
    return { id: device.id, key };
  }

  /** {name, hand} of a member, or null if absent; throws if the profile does not verify. */
  async profileOf(member, trustedKey = this.trustedKey(member.id)) {
    if (!member.profile) return null;
    const device = await this.verifiedDevice(member, trustedKey);
    if (!device || device.id !== member.profile.device) {
      throw new Error("this profile is not signed by the key we trust for them");
    }
    const { ct, sig } = member.profile;
    return openProfile(this.record.contentKey, device.key, this.id, device.id, ct, sig);
  }

  /** The member whose trusted device key has this id, with that key; null for any other. */
  async trustedDevice(deviceIdText) {
    for (const member of this.notebook?.members ?? []) {
      const device = await this.verifiedDevice(member, this.trustedKey(member.id));
      if (device?.id === deviceIdText) return { member: member.id, key: device.key };
    }
    return null;
  }

  /** Seal and sign a rule's text as an item box: {id, ct, sig}, ready for a request body. */
  async sealItem(kind, body, { itemId = newId(), ref = "" } = {}) {
    const place = { notebookId: this.id, kind, itemId, ref };
    const sealed = await sealItem(this.record.contentKey, this.device, place, body);
    return { id: itemId, ct: b64encode(sealed.box), sig: b64encode(sealed.sig) };
  }

  /** {text} (or a chapter's meta) of an item, verified against its sender's trusted key. */
  async openItem(kind, item, { ref = "", from = null } = {}) {
    const sender = await this.trustedDevice(item.device);
    if (!sender || (from && sender.member !== from)) {
      throw new Error(`this ${kind} is not signed by a device we trust for its writer`);
    }
    const place = { notebookId: this.id, kind, itemId: item.id, ref };
    return openItem(this.record.contentKey, sender.key, place, item.device, item.ct, item.sig);
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
      const member = this.notebook.members.find((m) => m.id === signature.member);
      const device = await this.verifiedDevice(member, this.trustedKey(signature.member));
      if (!device || device.id !== signature.device) continue;
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

  /** The pause in force now, or null: one whose `until` has passed silences nobody. */
  activePause(now = Date.now()) {
    const pause = this.notebook?.pause;
    return pause && Date.parse(pause.until) > now ? pause : null;
  }

  async uploadProfile(profile) {
    const sealed = await sealProfile(this.record.contentKey, this.device, this.id, profile);
    await this.api.putProfile({ ct: b64encode(sealed.box), sig: b64encode(sealed.sig) });
  }
}
