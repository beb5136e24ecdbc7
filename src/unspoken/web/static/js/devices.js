// A partner's several devices, from this one (docs/protocol.md, "Devices" and "Key epochs"):
// a one-time link for a new device, checking what claimed it and letting it in, the new
// device's side, revoking a device, and a new key epoch wrapped for every remaining device.

import { claimLink } from "./api.js";
import { notebookApi } from "./api.js";
import { t } from "./i18n.js";
import {
  certify,
  deviceMac,
  linkKeys,
  openPackage,
  sealPackage,
  signRevocationV2,
  verifyDeviceMac,
} from "./protocol/devices.js";
import { ProtocolError, b64decode, b64encode, newId, randomBytes } from "./protocol/encoding.js";
import { generateExchangeKey, signExchangeKey, verifyExchangeKey, wrapEpochKey } from "./protocol/exchange.js";
import { generateDeviceKey } from "./protocol/keys.js";
import { Session } from "./session.js";
import { saveNotebook } from "./store.js";
import { makeVault, notebookKeys } from "./vault.js";

const POLL_MS = 1000;

/** device id → exchange key of every listed device of present members, each trusted here. */
function recipients(session, without = null) {
  const out = [];
  for (const member of session.notebook.members) {
    if (member.state !== "active" || member.left_at) continue;
    for (const listed of member.devices) {
      if (listed.id === without) continue;
      const trusted = session.registry.get(listed.id);
      if (!trusted || trusted.member !== member.id || trusted.revokedEpoch !== null) {
        throw new ProtocolError("the server lists a device its member never added");
      }
      if (!listed.exchange_key) throw new Error(t("devices.not_updated"));
      out.push({ id: listed.id, key: trusted.key, exchange: listed.exchange_key });
    }
  }
  return out;
}

async function epochBody(session, devices) {
  const epoch = session.epoch + 1;
  const key = randomBytes(32);
  const wraps = [];
  for (const device of devices) {
    const kx = b64decode(device.exchange.key);
    if (!(await verifyExchangeKey(device.key, session.id, kx, b64decode(device.exchange.sig)))) {
      throw new ProtocolError("an exchange key its device did not sign");
    }
    const made = await wrapEpochKey(session.device, { notebookId: session.id, epoch, deviceId: device.id }, kx, key);
    wraps.push({ device: device.id, wrap: b64encode(made.wrap), sig: b64encode(made.sig) });
  }
  return { body: { n: epoch, wraps }, epoch, key };
}

/** Begin the next key epoch: a fresh notebook key for every remaining device. */
export async function newEpoch(session) {
  await session.refresh();
  const { body, epoch, key } = await epochBody(session, recipients(session));
  await session.api.newEpoch(body);
  await session.keep({ [epoch]: key });
  await session.refresh();
  return epoch;
}

/** Revoke another of this member's devices; a new epoch begins that it never sees. */
export async function revokeDevice(session, deviceId) {
  await session.refresh();
  const { body, epoch, key } = await epochBody(session, recipients(session, deviceId));
  const sig = await signRevocationV2(session.device, session.id, session.record.memberId, deviceId, epoch);
  await session.api.revoke(deviceId, { sig: b64encode(sig), epoch: body });
  await session.keep({ [epoch]: key });
  await session.refresh();
  return epoch;
}

/** A one-time link for a new device of this member: {id, secret, url}. */
export async function makeLink(session) {
  const link = { id: newId(), secret: randomBytes(32) };
  const keys = await linkKeys(link.secret, link.id);
  await session.api.openLink({ id: link.id, claim_hash: b64encode(keys.claimHash) });
  link.url = `${location.origin}/device/${session.id}/${link.id}#${b64encode(link.secret)}`;
  return link;
}

/**
 * The device that claimed the link, checked: its keys must carry the link's MAC (a key the
 * server swapped in fails here) and its exchange key its own signature. Returns null while
 * nobody has claimed it, {ok: false} for keys that do not check out, else {ok: true, device}.
 */
export async function inspectClaim(session, link) {
  const seen = await session.api.link(link.id);
  if (seen.state !== "claimed" || !seen.device) return seen.state === "open" ? null : { ok: false, state: seen.state };
  const device = seen.device;
  const key = b64decode(device.key);
  const kx = b64decode(device.exchange_key?.key ?? "");
  const { mac } = await linkKeys(link.secret, link.id);
  const macOk = device.key_mac && (await verifyDeviceMac(mac, link.id, key, kx, b64decode(device.key_mac)));
  const kxOk = macOk && (await verifyExchangeKey(key, session.id, kx, b64decode(device.exchange_key.sig)));
  const idOk = await Session.keyMatches(key, device.id);
  return { ok: Boolean(macOk && kxOk && idOk), device: { id: device.id, key } };
}

/** Let the checked device in: a certificate from this device, and the sealed package. */
export async function approveDevice(session, link, device) {
  const { wrap } = await linkKeys(link.secret, link.id);
  const partner = session.partner();
  const anchors = { [session.record.memberId]: session.record.ownAnchor ?? session.record.publicKey };
  if (partner && session.record.partnerKey) anchors[partner.id] = session.record.partnerKey;
  const keys = await notebookKeys(session.record, session.unlocked.key);
  const pkg = { notebookId: session.id, memberId: session.record.memberId, anchors, keys };
  // Where this device began to require signed acts: the new one refuses an unsigned act from there.
  if (Number.isInteger(session.record.signedFrom)) pkg.signedFrom = session.record.signedFrom;
  const cert = await certify(session.device, session.id, session.record.memberId, device.key);
  await session.api.approveDevice(link.id, {
    cert: b64encode(cert),
    package: b64encode(await sealPackage(wrap, link.id, pkg)),
    epoch: session.epoch,
  });
}

/**
 * The new device's side: claim the link with fresh keys, wait to be let in, open the package,
 * and keep everything in this browser. `onWaiting()` is called once the claim is made.
 */
export async function addDevice(notebookId, linkId, secret, { onWaiting = () => {}, stopped = () => false } = {}) {
  const keys = await linkKeys(secret, linkId);
  const device = await generateDeviceKey({ sealable: true });
  const exchange = await generateExchangeKey();
  const answer = await claimLink(linkId, {
    claim: b64encode(keys.claim),
    device_key: b64encode(device.publicKey),
    exchange_key: {
      key: b64encode(exchange.publicKey),
      sig: b64encode(await signExchangeKey(device, notebookId, exchange.publicKey)),
    },
    key_mac: b64encode(await deviceMac(keys.mac, linkId, device.publicKey, exchange.publicKey)),
  });
  if (answer.notebook_id !== notebookId || answer.device_id !== device.id) {
    throw new ProtocolError("the server named another notebook than the link holds");
  }
  onWaiting();
  const api = notebookApi(notebookId, answer.token);
  const turnedAway = new Error(t("devices.join_turned_away"));
  // Turned away, this device's token is refused at once (401): that is the answer too.
  const look = () => api.link(linkId).catch((error) => Promise.reject(error?.status === 401 ? turnedAway : error));
  let seen = await look();
  while (!seen.package) {
    if (seen.state !== "claimed" || stopped()) throw turnedAway;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    seen = await look();
  }
  const pkg = await openPackage(keys.wrap, linkId, b64decode(seen.package));
  if (pkg.notebookId !== notebookId || pkg.memberId !== answer.member_id) {
    throw new ProtocolError("the package names another notebook or member");
  }
  const partnerId = Object.keys(pkg.anchors).find((member) => member !== pkg.memberId);
  const record = {
    notebookId,
    memberId: pkg.memberId,
    deviceId: device.id,
    role: "partner",
    publicKey: device.publicKey,
    ownAnchor: pkg.anchors[pkg.memberId],
    partnerKey: partnerId ? pkg.anchors[partnerId] : null,
    invite: null,
    profile: null,
    // Where the device that let this one in began to require signed acts; from the start when
    // it named none (this device kept nothing from before v2 to go by).
    signedFrom: pkg.signedFrom ?? 0,
    vault: await makeVault(notebookId, { device: device.pkcs8, exchange: exchange.pkcs8, keys: pkg.keys, token: answer.token }),
  };
  const session = await Session.open(record);
  record.role = (await session.refresh()).members.find((m) => m.id === pkg.memberId)?.role ?? "partner";
  await saveNotebook(record);
  return session;
}
