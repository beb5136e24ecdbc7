// Pairing, step by step (docs/protocol.md): create, invite, claim, and the creator's check of
// the joiner before approval. Everything secret is made here, on this device.

import { claimInvite, createNotebook, inviteLook } from "./api.js";
import { newEpoch } from "./devices.js";
import { aad, openJson, sealJson } from "./protocol/box.js";
import { ProtocolError, b64decode, b64encode, newId, randomBytes } from "./protocol/encoding.js";
import { generateExchangeKey, signExchangeKey } from "./protocol/exchange.js";
import {
  contentKey,
  generateDeviceKey,
  inviteKeys,
  joinerKeyMac,
  verifyJoinerKeyMac,
} from "./protocol/keys.js";
import { openBundle, sealBundle, sealProfile } from "./protocol/messages.js";
import { safetyPhrase } from "./protocol/safety.js";
import { Session } from "./session.js";
import { saveNotebook, updateNotebook } from "./store.js";
import { makeVault, notebookKeys } from "./vault.js";

const KEY_BYTES = 32;

export function inviteLink(invite) {
  return `${location.origin}/join/${invite.id}#${b64encode(invite.secret)}`;
}

// The greeting: the inviter's name (and hand), sealed under the link's own key, so the joiner's
// page can say who invites them before joining. The server keeps it and cannot open it; only
// someone holding the link could have sealed it, so the server cannot put a name there either.
const greetingAad = (inviteId) => aad("invite-greeting", inviteId);

async function sealGreeting(wrap, inviteId, profile) {
  if (!profile?.name) return null;
  const body = { name: String(profile.name) };
  if (profile.hand) body.hand = profile.hand;
  return sealJson(wrap, body, greetingAad(inviteId));
}

/**
 * Before the join form: may this link still be used, and who sent it? The server answers only
 * to the link's holder (the claim proves it, as claiming does) and uses nothing up. Resolves
 * {expiresAt, inviter: {name, hand} | null}; throws ApiError 404 (no such invite, or the link
 * was changed) or 410 (used, withdrawn, expired).
 */
export async function lookAtInvite(inviteId, secret) {
  const derived = await inviteKeys(secret, inviteId);
  const answer = await inviteLook(inviteId, b64encode(derived.claim));
  let inviter = null;
  if (answer?.greeting) {
    try {
      const opened = await openJson(derived.wrap, b64decode(answer.greeting), greetingAad(inviteId));
      if (typeof opened.name === "string" && opened.name.trim()) {
        inviter = { name: opened.name.trim().slice(0, 80), hand: opened.hand ?? null };
      }
    } catch {
      inviter = null; // a greeting that does not open under the link's key names nobody
    }
  }
  return { expiresAt: answer?.expires_at ?? null, inviter };
}

async function exchangeBody(device, exchange, notebookId) {
  const sig = await signExchangeKey(device, notebookId, exchange.publicKey);
  return { key: b64encode(exchange.publicKey), sig: b64encode(sig) };
}

/** Step 1: a notebook with this device as its creator; it holds the pen. */
export async function beginNotebook(profile) {
  const device = await generateDeviceKey({ sealable: true });
  const exchange = await generateExchangeKey();
  const notebookKey = randomBytes(KEY_BYTES);
  const notebookId = newId();
  const ck = await contentKey(notebookKey, notebookId);
  const sealed = await sealProfile(ck, device, notebookId, profile);
  const answer = await createNotebook({
    id: notebookId,
    device_key: b64encode(device.publicKey),
    profile: { ct: b64encode(sealed.box), sig: b64encode(sealed.sig) },
    exchange_key: await exchangeBody(device, exchange, notebookId),
  });
  if (answer.notebook_id !== notebookId || answer.device_id !== device.id) {
    throw new ProtocolError("the server answered for a different notebook or device");
  }
  const record = {
    notebookId,
    memberId: answer.member_id,
    deviceId: device.id,
    role: "creator",
    publicKey: device.publicKey,
    partnerKey: null,
    invite: null,
    profile,
    // Begun under protocol v2: every act in it must be signed, from its first record.
    signedFrom: 0,
    vault: await makeVault(notebookId, {
      device: device.pkcs8,
      exchange: exchange.pkcs8,
      keys: { 0: notebookKey },
      token: answer.token,
    }),
  };
  await saveNotebook(record);
  const session = await Session.open(record);
  await makeInvite(session);
  return session;
}

/**
 * Step 2: a fresh one-time secret; a new invite replaces an open older one on the server. The
 * bundle carries every epoch's key, so the partner reads all that was written before them.
 */
export async function makeInvite(session) {
  await session.rekeying.catch(() => {}); // a refusal that failed was told where it was asked
  const invite = { id: newId(), secret: randomBytes(KEY_BYTES) };
  const derived = await inviteKeys(invite.secret, invite.id);
  const keys = await notebookKeys(session.record, session.unlocked.key);
  const bundle = await sealBundle(derived.wrap, invite.id, {
    notebookId: session.id,
    notebookKey: keys[0],
    creatorDeviceKey: session.record.publicKey,
    epochKeys: keys,
  });
  const greeting = await sealGreeting(derived.wrap, invite.id, session.record.profile);
  await session.api.createInvite({
    id: invite.id,
    claim_hash: b64encode(derived.claimHash),
    bundle: b64encode(bundle),
    ...(greeting ? { greeting: b64encode(greeting) } : {}),
  });
  session.record = await updateNotebook(session.id, { invite });
  return invite;
}

/** Step 3: claim with the link's secret, open the bundle, pin the creator's key. */
export async function claim(inviteId, secret, profile) {
  const derived = await inviteKeys(secret, inviteId);
  const device = await generateDeviceKey({ sealable: true });
  const exchange = await generateExchangeKey();
  const answer = await claimInvite(inviteId, {
    claim: b64encode(derived.claim),
    device_key: b64encode(device.publicKey),
    key_mac: b64encode(await joinerKeyMac(derived.mac, inviteId, device.publicKey)),
  });
  const bundle = await openBundle(derived.wrap, inviteId, b64decode(answer.bundle));
  if (bundle.notebookId !== answer.notebook_id || answer.device_id !== device.id) {
    throw new ProtocolError("the invite does not belong to the notebook the server named");
  }
  const record = {
    notebookId: bundle.notebookId,
    memberId: answer.member_id,
    deviceId: device.id,
    role: "partner",
    publicKey: device.publicKey,
    partnerKey: bundle.creatorDeviceKey,
    invite: null,
    profile,
    // Joined under protocol v2: every act in it must be signed, whatever head the server claims.
    signedFrom: 0,
    vault: await makeVault(bundle.notebookId, {
      device: device.pkcs8,
      exchange: exchange.pkcs8,
      keys: { ...bundle.epochKeys, 0: bundle.notebookKey },
      token: answer.token,
    }),
  };
  await saveNotebook(record);
  const session = await Session.open(record);
  await session.uploadProfile(profile);
  await session.api.putExchangeKey(await exchangeBody(device, exchange, record.notebookId));
  return session;
}

/**
 * Step 4, before approval: is the joiner's key the one made by whoever opened our link?
 * Returns {member, keyMacOk, profile, phrase}; profile and phrase only when the key is trusted.
 */
export async function inspectJoiner(session, member) {
  const invite = session.record.invite;
  const device = member.devices?.[0];
  if (!invite || !device || !member.key_mac) return { member, keyMacOk: false };
  const key = b64decode(device.key);
  const { mac } = await inviteKeys(invite.secret, invite.id);
  const keyMacOk = await verifyJoinerKeyMac(mac, invite.id, key, b64decode(member.key_mac));
  if (!keyMacOk || !(await Session.keyMatches(key, device.id))) return { member, keyMacOk: false };
  const profile = await session.profileOf(member, key);
  const phrase = await safetyPhrase(session.id, session.record.publicKey, key);
  return { member, keyMacOk, profile, phrase, key };
}

/** Let them in: pin their key and forget the invite secret, which has done its work. */
export async function approve(session, joiner) {
  session.record = await updateNotebook(session.id, { partnerKey: joiner.key });
  await session.api.approve(joiner.member.id);
  session.record = await updateNotebook(session.id, { invite: null });
}

/**
 * Turn the joiner away. They opened the bundle, and with it the notebook key: a new key epoch
 * begins at once, so nothing written from now on opens with what they saw.
 */
export async function decline(session, joiner) {
  // The live stream shows "Make a new link" as soon as the refusal is recorded, before the new
  // epoch's key is kept here: makeInvite waits for this.
  session.rekeying = (async () => {
    await session.api.decline(joiner.member.id);
    session.record = await updateNotebook(session.id, { invite: null });
    await newEpoch(session);
  })();
  await session.rekeying;
}

/** The safety phrase of this device and the partner key it trusts (before any second device). */
export async function phraseWithPartner(session) {
  return safetyPhrase(session.id, session.record.publicKey, session.record.partnerKey);
}
