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
  const out = {hkdf: [], ed25519: [], aes: []};
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
