"""Published known-answer vectors through the primitives the protocol is built on."""

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from unspoken.protocol import keys
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.exchange import ExchangeKey

KAT: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "known-answers.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", KAT["hkdf_sha256"], ids=lambda c: c["source"])
def test_hkdf(case: dict[str, Any]) -> None:
    okm = keys.hkdf(
        bytes.fromhex(case["ikm_hex"]),
        bytes.fromhex(case["salt_hex"]),
        bytes.fromhex(case["info_hex"]),
        case["length"],
    )
    assert okm.hex() == case["okm_hex"]


@pytest.mark.parametrize("case", KAT["ed25519"], ids=lambda c: c["source"])
def test_ed25519(case: dict[str, Any]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["seed_hex"]))
    message = bytes.fromhex(case["message_hex"])
    assert device.public.hex() == case["public_hex"]
    assert device.sign(message).hex() == case["signature_hex"]
    public = Ed25519PublicKey.from_public_bytes(device.public)
    public.verify(bytes.fromhex(case["signature_hex"]), message)
    with pytest.raises(InvalidSignature):
        public.verify(bytes.fromhex(case["signature_hex"]), message + b"\x00")


@pytest.mark.parametrize("case", KAT["aes_256_gcm"], ids=lambda c: c["source"])
def test_aes_256_gcm(case: dict[str, Any]) -> None:
    sealed = AESGCM(bytes.fromhex(case["key_hex"])).encrypt(
        bytes.fromhex(case["iv_hex"]),
        bytes.fromhex(case["plaintext_hex"]),
        bytes.fromhex(case["aad_hex"]) or None,
    )
    assert sealed.hex() == case["ciphertext_hex"] + case["tag_hex"]


@pytest.mark.parametrize("case", KAT["x25519"], ids=lambda c: c["source"])
def test_x25519(case: dict[str, Any]) -> None:
    scalar = ExchangeKey.from_private_bytes(bytes.fromhex(case["scalar_hex"]))
    assert scalar.shared(bytes.fromhex(case["u_hex"])).hex() == case["out_hex"]


@pytest.mark.parametrize("case", KAT["x25519_dh"], ids=lambda c: c["source"])
def test_x25519_diffie_hellman(case: dict[str, Any]) -> None:
    alice = ExchangeKey.from_private_bytes(bytes.fromhex(case["alice_private_hex"]))
    bob = ExchangeKey.from_private_bytes(bytes.fromhex(case["bob_private_hex"]))
    assert alice.public.hex() == case["alice_public_hex"]
    assert bob.public.hex() == case["bob_public_hex"]
    assert alice.shared(bob.public).hex() == case["shared_hex"]
    assert bob.shared(alice.public).hex() == case["shared_hex"]


def test_x25519_refuses_a_point_that_agrees_on_nothing() -> None:
    with pytest.raises(ProtocolError):
        ExchangeKey.generate().shared(bytes(32))  # the all-zero secret of a low-order point
