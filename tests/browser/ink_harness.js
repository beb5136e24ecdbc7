// Runs the browser's ink (static/js/protocol/ink.js, and its sealing in messages.js and
// items.js) over the shared vectors (tests/vectors/protocol-ink.json) and reports what it
// computed, so test_vectors.py compares it with Python's, byte for byte where the protocol says.

import { concat, ProtocolError } from "/static/js/protocol/encoding.js";
import * as ink from "/static/js/protocol/ink.js";
import { openDraftFrame, sealDraft } from "/static/js/protocol/items.js";
import { openEntry, sealEntry } from "/static/js/protocol/messages.js";
import { deviceId } from "/static/js/protocol/keys.js";

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const PKCS8_PREFIX = unhex("302e020100300506032b657004220420"); // RFC 8410, a raw seed

async function refusal(run) {
  try {
    await run();
    return "taken";
  } catch (error) {
    return error instanceof ProtocolError ? "refused" : `threw ${error.name}: ${error.message}`;
  }
}

const contentKey = (ckHex) =>
  crypto.subtle.importKey("raw", unhex(ckHex), "AES-GCM", false, ["encrypt", "decrypt"]);

async function device(seedHex) {
  const pkcs8 = concat(PKCS8_PREFIX, unhex(seedHex));
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicKey = Uint8Array.from(atob(jwk.x.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return { privateKey, publicKey, id: await deviceId(publicKey) };
}

/** A stroke whose points jump across the whole pad: about 8 bytes each when packed. */
function jumping(points) {
  return [Array.from({ length: points }, (_, n) => (n % 2 ? [1000, 20000, 63 * n, 255] : [0, 0, 63 * n, 0]))];
}

export async function run(v) {
  const packed = v.packed.map((c) => ({ hex: hex(ink.packInk(c.strokes)), strokes: ink.unpackInk(unhex(c.packed_hex)) }));
  const compressed = [];
  for (const c of v.compressed) compressed.push(await ink.decodeInk(unhex(c.hex)));
  const encoded = [];
  for (const c of v.packed) encoded.push(hex(await ink.encodeInk(c.strokes)));
  const refused = [];
  for (const c of v.refused) refused.push(await refusal(() => ink.decodeInk(unhex(c.hex))));
  const refusedStrokes = [];
  for (const c of v.refused_strokes) {
    refusedStrokes.push([await refusal(() => ink.checkInk(c.strokes)), await refusal(() => ink.encodeInk(c.strokes))]);
  }

  const entry = v.entry;
  const ck = await contentKey(entry.ck_hex);
  const opened = await openEntry(ck, unhex(entry.device_public_hex), entry.notebook_id, entry.record);
  const frame = await openDraftFrame(ck, unhex(v.draft.device_public_hex), v.draft.notebook_id, v.draft.frame);

  // Sealed here, opened by Python in the test.
  const me = await device(v.made.device_seed_hex);
  const place = { notebookId: entry.notebook_id, chapter: 1, entryId: v.made.entry_id, prev: unhex(v.made.prev_hex) };
  const sealed = await sealEntry(ck, me, place, "hi", undefined, { ink: entry.ink, seen: { seq: 3, digest: new Uint8Array(32) } });
  const draftPlace = { notebookId: entry.notebook_id, chapter: 1, draftId: v.made.entry_id, n: 0 };
  const draft = await sealDraft(ck, me, draftPlace, "", undefined, { ink: entry.ink });
  return {
    limits: ink.INK_LIMITS,
    packed,
    compressed,
    encoded,
    refused,
    refused_strokes: refusedStrokes,
    at_the_byte_limit: [
      await refusal(() => ink.checkInk(jumping(4999))),
      await refusal(() => ink.checkInk(jumping(5001))),
    ],
    empty_entry: await refusal(() => sealEntry(ck, me, place, "", undefined, { ink: [] })),
    entry: { text: opened.text, ink: opened.ink, hash_hex: hex(opened.hash) },
    draft: frame,
    made: {
      device_id: me.id,
      public_hex: hex(me.publicKey),
      entry: { box_hex: hex(sealed.box), sig_hex: hex(sealed.sig) },
      draft: { box_hex: hex(draft.box), sig_hex: hex(draft.sig) },
    },
  };
}
