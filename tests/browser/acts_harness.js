// Runs the browser's signed acts (static/js/protocol/acts.js) over the shared vectors and
// reports what it computed, so test_act_vectors.py can compare byte for byte.

import * as acts from "/static/js/protocol/acts.js";
import { concat, ProtocolError } from "/static/js/protocol/encoding.js";
import { deviceId } from "/static/js/protocol/keys.js";

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const PKCS8_PREFIX = unhex("302e020100300506032b657004220420"); // RFC 8410, a raw seed

function act(wire) {
  return { ...wire, seen: { seq: wire.seen.seq, digest: unhex(wire.seen.digest_hex) } };
}

async function refused(promise) {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    return error instanceof ProtocolError ? "refused" : `threw ${error}`;
  }
}

export async function run(v) {
  const pkcs8 = concat(PKCS8_PREFIX, unhex(v.device_seed_hex));
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", false, ["sign"]);
  const publicKey = unhex(v.device_public_hex);
  const device = { privateKey, id: await deviceId(publicKey) };
  const signed = [];
  for (const c of v.acts) {
    const a = act(c.act);
    const sig = await acts.signAct(device, a);
    signed.push({
      message_hex: hex(acts.actMessage(a)),
      sig_hex: hex(sig),
      verified: await refused(acts.verifyAct(publicKey, a, unhex(c.sig_hex))),
      hash_hex: hex(await acts.actHash(a, unhex(c.sig_hex))),
    });
  }
  const invalid = [];
  for (const c of v.invalid) {
    invalid.push(await refused(acts.verifyAct(publicKey, act(c.act), new Uint8Array(64))));
  }
  const tampered = [];
  for (const c of v.tampered) {
    tampered.push(await refused(acts.verifyAct(publicKey, act(c.act), unhex(c.sig_hex))));
  }
  const log = new acts.LogDigest();
  const digests = [];
  const records = [];
  for (const step of v.log.steps) {
    if (step.record) {
      // No device signed it: its link is its canonical JSON's hash, computed here.
      const canonical = new TextDecoder().decode(acts.canonicalJson(step.record));
      records.push({ canonical, hash_hex: hex(await acts.recordHash(step.record)) });
    }
    await log.add(step.seq, step.record ? await acts.recordHash(step.record) : unhex(step.hash_hex));
    digests.push(hex(log.digest));
  }
  const noCanonicalForm = [];
  for (const text of v.log.no_canonical_form) {
    noCanonicalForm.push(await refused(acts.recordHash(JSON.parse(text))));
  }
  const fork = {
    agrees_with_itself: log.agrees(log.seen()),
    agrees_at_unapplied: log.agrees({ seq: log.seq + 1, digest: log.digest }),
    agrees_with_other: log.agrees({ seq: 2, digest: unhex(v.log.steps[3].digest_hex) }),
    backwards: await refused(log.add(1, new Uint8Array(32))),
  };
  return { device_id: device.id, signed, invalid, tampered, digests, records, noCanonicalForm, fork };
}
