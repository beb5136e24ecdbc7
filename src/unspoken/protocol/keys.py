"""Key derivation and device identities."""

import hashlib
import hmac
from dataclasses import dataclass
from typing import ClassVar, Self

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from unspoken.protocol.encoding import b64encode, lp

SALT = b"unspoken/v1"
KEY_BYTES = 32


def hkdf(ikm: bytes, salt: bytes, info: bytes, length: int = KEY_BYTES) -> bytes:
    """HKDF-SHA256 (RFC 5869)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def derive(ikm: bytes, label: str, context: str) -> bytes:
    """HKDF-SHA256 with the protocol's salt; label and context keep every key apart."""
    return hkdf(ikm, SALT, label.encode("utf-8") + b"\x00" + context.encode("utf-8"))


def content_key(notebook_key: bytes, notebook_id: str) -> bytes:
    """The key that seals a notebook's entries and profiles."""
    return derive(notebook_key, "content", notebook_id)


@dataclass(frozen=True)
class OneTimeKeys:
    """What both ends derive from the one-time secret in a link's fragment: a claim the server
    keeps only the hash of, a key that wraps what the link hands over, and a MAC key. `LABEL`
    keeps each kind of link's keys apart ("invite", "link")."""

    LABEL: ClassVar[str]
    claim: bytes
    wrap: bytes
    mac: bytes

    @classmethod
    def from_secret(cls, secret: bytes, link_id: str) -> Self:
        return cls(
            claim=derive(secret, f"{cls.LABEL}-claim", link_id),
            wrap=derive(secret, f"{cls.LABEL}-wrap", link_id),
            mac=derive(secret, f"{cls.LABEL}-mac", link_id),
        )

    @property
    def claim_hash(self) -> bytes:
        """All the server keeps of the claim until it is presented."""
        return hashlib.sha256(self.claim).digest()


@dataclass(frozen=True)
class InviteKeys(OneTimeKeys):
    """What both partners derive from the one-time secret in an invite link's fragment."""

    LABEL: ClassVar[str] = "invite"

    def joiner_mac(self, invite_id: str, device_key: bytes) -> bytes:
        """Authenticates the joiner's device key to the creator; the server cannot forge it."""
        message = lp("unspoken/v1/joiner", invite_id, device_key)
        return hmac.new(self.mac, message, hashlib.sha256).digest()

    def verify_joiner_mac(self, invite_id: str, device_key: bytes, mac: bytes) -> bool:
        return hmac.compare_digest(self.joiner_mac(invite_id, device_key), mac)


def device_id(public_key: bytes) -> str:
    """A device's id is a hash of its public key, so the two cannot disagree."""
    return b64encode(hashlib.sha256(public_key).digest()[:16])


class DeviceKey:
    """A device's Ed25519 identity."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.id = device_id(self.public)

    @classmethod
    def generate(cls) -> "DeviceKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> "DeviceKey":
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    def seed(self) -> bytes:
        """The 32-byte private seed, for saving the key on this device only."""
        return self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)
