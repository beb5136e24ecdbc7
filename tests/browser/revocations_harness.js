// Runs the browser's revocation signing (static/js/protocol/devices.js) over the shared v2
// vectors and reports what it computed, so test_revocation_vectors.py compares byte for byte.

import * as devices from "/static/js/protocol/devices.js";
import { concat } from "/static/js/protocol/encoding.js";
import { deviceId } from "/static/js/protocol/keys.js";

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const PKCS8_PREFIX = unhex("302e020100300506032b657004220420"); // RFC 8410, a raw seed

export async function run(v) {
  const pkcs8 = concat(PKCS8_PREFIX, unhex(v.device_seed_hex));
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", false, ["sign"]);
  const publicKey = unhex(v.device_public_hex);
  const device = { privateKey, id: await deviceId(publicKey) };
  const signed = [];
  for (const c of v.signed) {
    const sig = await devices.signRevocationV2(device, v.notebook_id, v.member_id, c.revoked_device_id, c.epoch);
    signed.push({
      message_hex: hex(devices.revokeMessageV2(v.notebook_id, v.member_id, c.revoked_device_id, c.epoch)),
      sig_hex: hex(sig),
      signs_epoch: await devices.revocationSignsEpoch(publicKey, v.notebook_id, v.member_id, c.revoked_device_id, c.epoch, sig),
    });
  }
  const verify = [];
  for (const c of v.verify) {
    verify.push(
      await devices.revocationSignsEpoch(publicKey, v.notebook_id, v.member_id, c.revoked_device_id, c.epoch, unhex(c.sig_hex)),
    );
  }
  return { signed, verify };
}
