// A partner's several devices (protocol v1, "Devices"): linking a new one with a one-time
// secret, device certificates, revocations, and the set of devices this client trusts.
// Trust starts from each member's first device, pinned at pairing (the anchors); a device joins
// only with a certificate from a trusted device of the same member, and leaves with a signed
// revocation, after which only boxes of earlier epochs are accepted as its own. A new epoch's
// key is taken only from the device that began that epoch, trusted when it did (`wrapper`).

import { aad, openJson, sealJson } from "./box.js";
import { ProtocolError, b64decode, b64encode, lp } from "./encoding.js";
import { verifyExchangeKey } from "./exchange.js";
import { aesKey, derive, deviceId, sha256, signEd25519, verifyEd25519 } from "./keys.js";
import { parseEpochKeys } from "./messages.js";
import { KIND } from "./records.js";

/**
 * @import { Bytes } from "./encoding.js"
 * @import { DeviceKey, SecretKeys } from "./keys.js"
 * @import { EpochKeys } from "./messages.js"
 */

/**
 * What a device link hands the new device: the notebook, its member, every member's anchor
 * (member → first device key) and the notebook's keys.
 * @typedef {object} LinkPackage
 * @property {string} notebookId
 * @property {string} memberId
 * @property {{[member: string]: Bytes}} anchors
 * @property {EpochKeys} keys
 * @property {number} [signedFrom] where the linking device began to require signed acts
 */

/**
 * A device this client trusts; `revokedEpoch` is the epoch its revocation began, or null.
 * @typedef {object} TrustedDevice
 * @property {string} id
 * @property {string} member
 * @property {Bytes} key
 * @property {number | null} revokedEpoch
 * @property {boolean | null} [revokedEpochSigned] whether the revocation signed its epoch (v2);
 *   false for a v1 revocation, whose epoch is the server's word; null while not revoked
 * @property {number | null} [revokedSeq] the log position of its revocation (null: unknown)
 */

/**
 * A device.added record as the server relays it (base64url keys and signatures).
 * @typedef {object} DeviceAddedRecord
 * @property {"device.added"} kind
 * @property {string} member
 * @property {string} device
 * @property {string} key
 * @property {string} by
 * @property {string} cert
 * @property {{key: string, sig: string}} exchange_key
 */

/**
 * A device.revoked record: `by` revokes `device` from `epoch` on.
 * @typedef {object} DeviceRevokedRecord
 * @property {"device.revoked"} kind
 * @property {string} member
 * @property {string} device
 * @property {string} by
 * @property {string} sig
 * @property {number} epoch
 * @property {number} [seq]
 */

/**
 * An epoch.started record: `device` of `member` began `epoch`.
 * @typedef {object} EpochStartedRecord
 * @property {"epoch.started"} kind
 * @property {string} member
 * @property {string} device
 * @property {number} epoch
 */

/** @typedef {DeviceAddedRecord | DeviceRevokedRecord | EpochStartedRecord} DeviceRecord */

/**
 * @param {string} notebookId
 * @param {string} memberId
 * @param {Bytes} deviceKey
 * @returns {Bytes}
 */
export function certMessage(notebookId, memberId, deviceKey) {
  return lp("unspoken/v1/device-cert", notebookId, memberId, deviceKey);
}

/**
 * @param {string} notebookId
 * @param {string} memberId
 * @param {string} revokedDeviceId
 * @returns {Bytes}
 */
export function revokeMessage(notebookId, memberId, revokedDeviceId) {
  return lp("unspoken/v1/device-revoke", notebookId, memberId, revokedDeviceId);
}

/**
 * v2: the revocation signs the epoch it takes effect at, so a server cannot move it.
 * @param {string} notebookId
 * @param {string} memberId
 * @param {string} revokedDeviceId
 * @param {number} epoch
 * @returns {Bytes}
 */
export function revokeMessageV2(notebookId, memberId, revokedDeviceId, epoch) {
  return lp("unspoken/v2/device-revoke", notebookId, memberId, revokedDeviceId, String(epoch));
}

/**
 * @param {DeviceKey} by
 * @param {string} notebookId
 * @param {string} memberId
 * @param {Bytes} deviceKey
 * @returns {Promise<Bytes>}
 */
export function certify(by, notebookId, memberId, deviceKey) {
  return signEd25519(by.privateKey, certMessage(notebookId, memberId, deviceKey));
}

/**
 * @param {DeviceKey} by
 * @param {string} notebookId
 * @param {string} memberId
 * @param {string} revokedDeviceId
 * @returns {Promise<Bytes>}
 */
export function signRevocation(by, notebookId, memberId, revokedDeviceId) {
  return signEd25519(by.privateKey, revokeMessage(notebookId, memberId, revokedDeviceId));
}

/**
 * @param {DeviceKey} by
 * @param {string} notebookId
 * @param {string} memberId
 * @param {string} revokedDeviceId
 * @param {number} epoch
 * @returns {Promise<Bytes>}
 */
export function signRevocationV2(by, notebookId, memberId, revokedDeviceId, epoch) {
  return signEd25519(by.privateKey, revokeMessageV2(notebookId, memberId, revokedDeviceId, epoch));
}

/**
 * True if `sig` is a v2 revocation of `epoch`, false if a v1 one (no epoch), null if neither.
 * A signature verifies under one message only: a v2 revocation cannot pass as v1, moved.
 * @param {Bytes} key
 * @param {string} notebookId
 * @param {string} memberId
 * @param {string} revokedDeviceId
 * @param {number} epoch
 * @param {Bytes} sig
 * @returns {Promise<boolean | null>}
 */
export async function revocationSignsEpoch(key, notebookId, memberId, revokedDeviceId, epoch, sig) {
  if (await verifyEd25519(key, sig, revokeMessageV2(notebookId, memberId, revokedDeviceId, epoch))) return true;
  if (await verifyEd25519(key, sig, revokeMessage(notebookId, memberId, revokedDeviceId))) return false;
  return null;
}

/**
 * What both devices derive from a device link's secret: claim, wrap (AES) and mac (HMAC).
 * @param {Bytes} secret
 * @param {string} linkId
 * @returns {Promise<SecretKeys>}
 */
export async function linkKeys(secret, linkId) {
  const [claim, wrap, mac] = await Promise.all(
    ["link-claim", "link-wrap", "link-mac"].map((label) => derive(secret, label, linkId)),
  );
  const macKey = await crypto.subtle.importKey("raw", mac, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  return { claim, claimHash: await sha256(claim), wrap: await aesKey(wrap), mac: macKey };
}

/**
 * @param {string} linkId
 * @param {Bytes} deviceKey
 * @param {Bytes} exchangeKey
 * @returns {Bytes}
 */
const newDeviceMessage = (linkId, deviceKey, exchangeKey) =>
  lp("unspoken/v1/new-device", linkId, deviceKey, exchangeKey);

/**
 * @param {CryptoKey} macKey
 * @param {string} linkId
 * @param {Bytes} deviceKey
 * @param {Bytes} exchangeKey
 * @returns {Promise<Bytes>}
 */
export async function deviceMac(macKey, linkId, deviceKey, exchangeKey) {
  return new Uint8Array(await crypto.subtle.sign("HMAC", macKey, newDeviceMessage(linkId, deviceKey, exchangeKey)));
}

/**
 * Constant-time check that the new device's keys come from whoever opened the link.
 * @param {CryptoKey} macKey
 * @param {string} linkId
 * @param {Bytes} deviceKey
 * @param {Bytes} exchangeKey
 * @param {Bytes} mac
 * @returns {Promise<boolean>}
 */
export function verifyDeviceMac(macKey, linkId, deviceKey, exchangeKey, mac) {
  return crypto.subtle.verify("HMAC", macKey, mac, newDeviceMessage(linkId, deviceKey, exchangeKey));
}

/**
 * @param {string} linkId
 * @returns {Bytes}
 */
export function linkAad(linkId) {
  return aad("device-link", linkId);
}

/**
 * The package for the new device: {notebookId, memberId, anchors {member: key}, keys {epoch: key}}.
 * @param {CryptoKey} wrap
 * @param {string} linkId
 * @param {LinkPackage} pkg
 * @param {Bytes} [nonce]
 * @returns {Promise<Bytes>}
 */
export function sealPackage(wrap, linkId, pkg, nonce) {
  const anchors = Object.fromEntries(
    Object.entries(pkg.anchors)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([member, key]) => [member, b64encode(key)]),
  );
  const epochKeys = Object.fromEntries(Object.entries(pkg.keys).map(([n, key]) => [String(n), b64encode(key)]));
  /** @type {{[field: string]: unknown}} */
  const body = { notebook_id: pkg.notebookId, member_id: pkg.memberId, anchors, epoch_keys: epochKeys };
  if (pkg.signedFrom !== undefined) body.signed_from = pkg.signedFrom;
  return sealJson(wrap, body, linkAad(linkId), nonce);
}

/**
 * @param {CryptoKey} wrap
 * @param {string} linkId
 * @param {Bytes} box
 * @returns {Promise<LinkPackage>}
 */
export async function openPackage(wrap, linkId, box) {
  const body = await openJson(wrap, box, linkAad(linkId));
  /** @type {LinkPackage} */
  let pkg;
  try {
    // Unchecked on purpose: if anchors is missing, Object.entries throws and the catch refuses it.
    const anchors = /** @type {{[member: string]: unknown}} */ (body.anchors);
    pkg = {
      notebookId: String(body.notebook_id),
      memberId: String(body.member_id),
      anchors: Object.fromEntries(Object.entries(anchors).map(([m, k]) => [m, b64decode(k)])),
      keys: parseEpochKeys(body.epoch_keys, 0),
    };
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError("the device link's package is incomplete");
  }
  if (body.signed_from !== undefined) {
    if (!Number.isSafeInteger(body.signed_from) || Number(body.signed_from) < 0) {
      throw new ProtocolError("the device link's package names no place where signing began");
    }
    pkg.signedFrom = Number(body.signed_from);
  }
  if (!(0 in pkg.keys) || Object.values(pkg.anchors).some((key) => key.length !== 32)) {
    throw new ProtocolError("the device link's package holds the wrong keys");
  }
  return pkg;
}

/** The devices this client trusts in one notebook, built from pinned anchors and the log. */
export class DeviceRegistry {
  /** @param {string} notebookId */
  constructor(notebookId) {
    this.notebookId = notebookId;
    /** @type {Map<string, TrustedDevice>} */
    this.devices = new Map();
    /** @type {Map<number, string>} epoch → the device that began it */
    this.began = new Map();
  }

  /**
   * Pin a member's first device (from pairing or a device link's package).
   * @param {string} memberId
   * @param {Bytes} key
   * @returns {Promise<TrustedDevice>}
   */
  async anchor(memberId, key) {
    const id = await deviceId(key);
    const found = this.devices.get(id);
    if (found && found.member !== memberId) throw new ProtocolError("one device cannot belong to two members");
    if (!found) this.devices.set(id, { id, member: memberId, key, revokedEpoch: null });
    return /** @type {TrustedDevice} */ (this.devices.get(id)); // set just above if it was missing
  }

  /**
   * @param {string} id
   * @returns {TrustedDevice | null}
   */
  get(id) {
    return this.devices.get(id) ?? null;
  }

  /**
   * @param {string | null} [memberId]
   * @returns {TrustedDevice[]}
   */
  active(memberId = null) {
    return [...this.devices.values()].filter(
      (d) => d.revokedEpoch === null && (memberId === null || d.member === memberId),
    );
  }

  /**
   * The key that must have signed a box of `epoch` from `id` of `memberId`.
   * @param {string} memberId
   * @param {string} id
   * @param {number} epoch
   * @returns {Bytes}
   */
  keyFor(memberId, id, epoch) {
    const found = this.devices.get(id);
    if (!found || found.member !== memberId) throw new ProtocolError("a box from a device that is not a partner's");
    if (found.revokedEpoch !== null && epoch >= found.revokedEpoch) {
      throw new ProtocolError("a box from a device revoked before it was sealed");
    }
    return found.key;
  }

  /**
   * {member, key} of device `id`, if trusted for a box of `epoch` (sealed before any revocation).
   * @param {string} id
   * @param {number} [epoch]
   * @returns {{member: string, key: Bytes} | null}
   */
  trusted(id, epoch = 0) {
    const device = this.get(id);
    if (!device) return null;
    try {
      return { member: device.member, key: this.keyFor(device.member, id, epoch) };
    } catch {
      return null;
    }
  }

  /**
   * The key that must have signed the act at log position `seq` of `memberId` from device `id`:
   * one of that member's devices, not revoked before it.
   * @param {string} memberId
   * @param {string} id
   * @param {number} seq
   * @returns {Bytes}
   */
  actor(memberId, id, seq) {
    const found = this.devices.get(id);
    if (!found || found.member !== memberId) throw new ProtocolError("an act from a device that is not the partner's");
    if (found.revokedEpoch !== null && (found.revokedSeq == null || seq > found.revokedSeq)) {
      throw new ProtocolError("an act from a revoked device");
    }
    return found.key;
  }

  /**
   * The key that must have signed a wrap of `epoch`'s key: the device that began the epoch (as
   * the log announced it), not revoked at or before it. Anything else is refused.
   * @param {number} epoch
   * @param {string} by
   * @returns {Bytes}
   */
  wrapper(epoch, by) {
    const began = this.began.get(epoch);
    if (began === undefined) throw new ProtocolError("an epoch key for an epoch no trusted device began");
    if (began !== by) throw new ProtocolError("an epoch key from a device that did not begin its epoch");
    const found = this.devices.get(by);
    if (!found) throw new ProtocolError("an epoch key from a device that is not a partner's");
    if (found.revokedEpoch !== null && epoch >= found.revokedEpoch) {
      throw new ProtocolError("an epoch key from a revoked device");
    }
    return found.key;
  }

  /**
   * An epoch begun by `device`, trusted now; the same epoch cannot have two beginners.
   * @param {unknown} epoch
   * @param {TrustedDevice} device
   */
  announce(epoch, device) {
    if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 1) {
      throw new ProtocolError("a new epoch is a number from 1");
    }
    const began = this.began.get(epoch);
    if (began !== undefined && began !== device.id) throw new ProtocolError("two devices began the same epoch");
    this.began.set(epoch, device.id);
  }

  /**
   * @param {string} memberId
   * @param {string} by
   * @returns {TrustedDevice}
   */
  voucher(memberId, by) {
    const found = this.devices.get(by);
    if (!found || found.member !== memberId || found.revokedEpoch !== null) {
      throw new ProtocolError("a device change signed by a device we do not trust");
    }
    return found;
  }

  /**
   * Follow a device.added, device.revoked or epoch.started record, or throw; other kinds pass.
   * @param {DeviceRecord} record
   * @returns {Promise<TrustedDevice | null>}
   */
  async apply(record) {
    try {
      if (record.kind === KIND.DEVICE_ADDED) {
        return await this.added(/** @type {DeviceAddedRecord} */ (record));
      }
      if (record.kind === KIND.DEVICE_REVOKED) {
        return await this.revoked(/** @type {DeviceRevokedRecord} */ (record));
      }
      if (record.kind === KIND.EPOCH_STARTED) {
        return this.started(/** @type {EpochStartedRecord} */ (record));
      }
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError(`a malformed ${record.kind} record`);
    }
    return null;
  }

  /**
   * @param {DeviceAddedRecord} record
   * @returns {Promise<TrustedDevice>}
   */
  async added(record) {
    const member = String(record.member);
    const key = b64decode(record.key);
    const voucher = this.voucher(member, String(record.by));
    const certOk = await verifyEd25519(voucher.key, b64decode(record.cert), certMessage(this.notebookId, member, key));
    if (!certOk) throw new ProtocolError("a new device's certificate does not verify");
    if ((await deviceId(key)) !== record.device) throw new ProtocolError("a new device's id does not match its key");
    const exchange = record.exchange_key;
    const kxOk = await verifyExchangeKey(key, this.notebookId, b64decode(exchange.key), b64decode(exchange.sig));
    if (!kxOk) throw new ProtocolError("a new device's exchange key is not signed by it");
    return this.anchor(member, key);
  }

  /**
   * @param {DeviceRevokedRecord} record
   * @returns {Promise<TrustedDevice>}
   */
  async revoked(record) {
    const member = String(record.member);
    const target = String(record.device);
    const voucher = this.voucher(member, String(record.by));
    const revoked = this.devices.get(target);
    if (!revoked || revoked.member !== member || revoked === voucher) {
      throw new ProtocolError("a revocation of a device that is not the member's");
    }
    if (!Number.isInteger(record.epoch) || record.epoch < 1) {
      throw new ProtocolError("a revocation names the epoch it began");
    }
    const sig = b64decode(record.sig);
    const signed = await revocationSignsEpoch(voucher.key, this.notebookId, member, target, record.epoch, sig);
    if (signed === null) throw new ProtocolError("a revocation that its member's device did not sign");
    this.announce(record.epoch, voucher);
    if (revoked.revokedEpoch === null) {
      revoked.revokedEpoch = record.epoch;
      revoked.revokedEpochSigned = signed;
      revoked.revokedSeq = Number.isInteger(record.seq) ? /** @type {number} */ (record.seq) : null;
    }
    return revoked;
  }

  /**
   * The log says a device began an epoch: it must be one trusted now, of that member.
   * @param {EpochStartedRecord} record
   * @returns {TrustedDevice}
   */
  started(record) {
    const device = this.voucher(String(record.member), String(record.device));
    this.announce(record.epoch, device);
    return device;
  }
}
