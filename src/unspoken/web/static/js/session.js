// One device's view of one notebook: its stored keys, the server's notebook answer, and the
// partners' profiles — each opened only with a device key this device already trusts.

import { notebookApi } from "./api.js";
import { b64decode, b64encode, bytesEqual } from "./protocol/encoding.js";
import { deviceId } from "./protocol/keys.js";
import { openProfile, sealProfile } from "./protocol/messages.js";
import { loadNotebook } from "./store.js";

export class Session {
  constructor(record) {
    this.record = record;
    this.api = notebookApi(record.notebookId, record.token);
    this.notebook = null;
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
    return this.notebook;
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

  async uploadProfile(profile) {
    const sealed = await sealProfile(this.record.contentKey, this.device, this.id, profile);
    await this.api.putProfile({ ct: b64encode(sealed.box), sig: b64encode(sealed.sig) });
  }
}
