"""The same published known-answer vectors, through the browser's protocol modules and WebCrypto."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

KAT: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "known-answers.json").read_text("utf-8")
)

SCRIPT = """async (kat) => {
  const keys = await import('/static/js/protocol/keys.js');
  const enc = await import('/static/js/protocol/encoding.js');
  const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
  const unhex = (t) => new Uint8Array(t.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
  const out = {hkdf: [], ed25519: [], aes: [], x25519: [], dh: []};
  const exchange = await import('/static/js/protocol/exchange.js');
  const x25519Prefix = unhex('302e020100300506032b656e04220420');  // RFC 8410 PKCS#8, X25519
  const scalar = (h) => crypto.subtle.importKey('pkcs8', enc.concat(x25519Prefix, unhex(h)),
                                                'X25519', false, ['deriveBits']);
  for (const c of kat.x25519) {
    out.x25519.push(hex(await exchange.x25519(await scalar(c.scalar_hex), unhex(c.u_hex))));
  }
  for (const c of kat.x25519_dh) {
    const pair = (h) => exchange.exchangeKeyFromPkcs8(enc.concat(x25519Prefix, unhex(h)));
    const alice = await pair(c.alice_private_hex);
    const bob = await pair(c.bob_private_hex);
    out.dh.push({alice_public: hex(alice.publicKey), bob_public: hex(bob.publicKey),
                 alice_shared: hex(await exchange.x25519(alice.privateKey, bob.publicKey)),
                 bob_shared: hex(await exchange.x25519(bob.privateKey, alice.publicKey))});
  }
  let refused = false;
  try { await exchange.x25519(await scalar(kat.x25519[0].scalar_hex), new Uint8Array(32)); }
  catch (error) { refused = error instanceof enc.ProtocolError; }
  out.zero_refused = refused;
  for (const c of kat.hkdf_sha256) {
    out.hkdf.push(hex(await keys.hkdf(unhex(c.ikm_hex), unhex(c.salt_hex), unhex(c.info_hex),
                                      c.length)));
  }
  const prefix = unhex('302e020100300506032b657004220420');  // RFC 8410 PKCS#8 for a raw seed
  for (const c of kat.ed25519) {
    const priv = await crypto.subtle.importKey('pkcs8', enc.concat(prefix, unhex(c.seed_hex)),
                                               'Ed25519', false, ['sign']);
    const message = unhex(c.message_hex);
    const signature = await keys.signEd25519(priv, message);
    out.ed25519.push({
      signature: hex(signature),
      verifies: await keys.verifyEd25519(unhex(c.public_hex), unhex(c.signature_hex), message),
      altered: await keys.verifyEd25519(unhex(c.public_hex), unhex(c.signature_hex),
                                        enc.concat(message, new Uint8Array([0]))),
    });
  }
  for (const c of kat.aes_256_gcm) {
    const key = await crypto.subtle.importKey('raw', unhex(c.key_hex), 'AES-GCM', false,
                                              ['encrypt']);
    const params = {name: 'AES-GCM', iv: unhex(c.iv_hex)};
    if (c.aad_hex) params.additionalData = unhex(c.aad_hex);
    out.aes.push(hex(await crypto.subtle.encrypt(params, key, unhex(c.plaintext_hex))));
  }
  return out;
}"""


@pytest.fixture(scope="module")
def js(browser: Browser, static_url: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_url}/blank")
    result: dict[str, Any] = page.evaluate(SCRIPT, KAT)
    context.close()
    return result


def test_hkdf(js: dict[str, Any]) -> None:
    assert js["hkdf"] == [case["okm_hex"] for case in KAT["hkdf_sha256"]]


def test_ed25519(js: dict[str, Any]) -> None:
    for case, got in zip(KAT["ed25519"], js["ed25519"], strict=True):
        assert got == {"signature": case["signature_hex"], "verifies": True, "altered": False}


def test_aes_256_gcm(js: dict[str, Any]) -> None:
    assert js["aes"] == [c["ciphertext_hex"] + c["tag_hex"] for c in KAT["aes_256_gcm"]]


def test_x25519(js: dict[str, Any]) -> None:
    assert js["x25519"] == [case["out_hex"] for case in KAT["x25519"]]


def test_x25519_diffie_hellman(js: dict[str, Any]) -> None:
    for case, got in zip(KAT["x25519_dh"], js["dh"], strict=True):
        assert got == {
            "alice_public": case["alice_public_hex"],
            "bob_public": case["bob_public_hex"],
            "alice_shared": case["shared_hex"],
            "bob_shared": case["shared_hex"],
        }


def test_x25519_refuses_a_point_that_agrees_on_nothing(js: dict[str, Any]) -> None:
    assert js["zero_refused"] is True
