"""X25519 exchange keys and epoch-key wraps: how one device hands a notebook key to a device
it does not hold, through the server, without the server learning it (docs/protocol.md).

wrap = eph_public (32) ‖ box(k, epoch key, aad("epoch-key", notebook, epoch, device))
k    = HKDF-SHA256(X25519(eph, recipient), "unspoken/v1",
                   lp("unspoken/v1/epoch-wrap", notebook, epoch, device, eph_public, recipient))

Each wrap is signed by the device that made it, so a recipient accepts a key only from a device
it trusts: the server can hand out wraps, never make its own.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from unspoken.protocol import box, chain
from unspoken.protocol.encoding import lp
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import KEY_BYTES, SALT, DeviceKey, hkdf

_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class ExchangeKey:
    """A device's X25519 key pair, for receiving epoch keys."""

    def __init__(self, private_key: X25519PrivateKey) -> None:
        self._private = private_key
        self.public = private_key.public_key().public_bytes(*_RAW)

    @classmethod
    def generate(cls) -> "ExchangeKey":
        return cls(X25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> "ExchangeKey":
        return cls(X25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def shared(self, peer_public: bytes) -> bytes:
        """X25519(self, peer); refuses a peer key that would make an all-zero secret."""
        try:
            return self._private.exchange(X25519PublicKey.from_public_bytes(peer_public))
        except ValueError as exc:
            raise ProtocolError("an exchange key that agrees on nothing") from exc


def exchange_key_message(notebook_id: str, exchange_public: bytes) -> bytes:
    """What a device signs to vouch for its own exchange key."""
    return lp("unspoken/v1/exchange-key", notebook_id, exchange_public)


def sign_exchange_key(device: DeviceKey, notebook_id: str, exchange_public: bytes) -> bytes:
    return device.sign(exchange_key_message(notebook_id, exchange_public))


def verify_exchange_key(
    device_public: bytes, notebook_id: str, exchange_public: bytes, sig: bytes
) -> bool:
    if len(exchange_public) != KEY_BYTES:
        return False
    return chain.verify_raw(device_public, exchange_key_message(notebook_id, exchange_public), sig)


def epoch_key_aad(notebook_id: str, epoch: int, device_id: str) -> bytes:
    return box.aad("epoch-key", notebook_id, str(epoch), device_id)


def _wrap_key(shared: bytes, place: tuple[str, int, str], eph: bytes, recipient: bytes) -> bytes:
    notebook_id, epoch, device_id = place
    info = lp("unspoken/v1/epoch-wrap", notebook_id, str(epoch), device_id, eph, recipient)
    return hkdf(shared, SALT, info)


@dataclass(frozen=True)
class Wrap:
    """One epoch key, sealed for one device, signed by the device that made it."""

    device: str  # the recipient's device id
    wrap: bytes
    sig: bytes


def wrap_epoch_key(
    by: DeviceKey,
    place: tuple[str, int, str],
    recipient_exchange_key: bytes,
    epoch_key: bytes,
    ephemeral: ExchangeKey | None = None,
    nonce: bytes | None = None,
) -> Wrap:
    """Seal `epoch_key` for the device at place = (notebook_id, epoch, device_id)."""
    notebook_id, epoch, device_id = place
    eph = ephemeral or ExchangeKey.generate()
    key = _wrap_key(eph.shared(recipient_exchange_key), place, eph.public, recipient_exchange_key)
    additional = epoch_key_aad(notebook_id, epoch, device_id)
    wrapped = eph.public + box.seal(key, epoch_key, additional, nonce)
    return Wrap(device_id, wrapped, by.sign(chain.signed_message(additional, wrapped)))


def unwrap_epoch_key(
    me: ExchangeKey, place: tuple[str, int, str], wrapped: bytes, sig: bytes, by_key: bytes
) -> bytes:
    """Verify the wrapper's signature, then open the epoch key meant for this device."""
    notebook_id, epoch, device_id = place
    additional = epoch_key_aad(notebook_id, epoch, device_id)
    if not chain.verify_signature(by_key, additional, wrapped, sig):
        raise ProtocolError("an epoch key not signed by a device we trust")
    eph = wrapped[:KEY_BYTES]
    key = _wrap_key(me.shared(eph), place, eph, me.public)
    epoch_key = box.open_box(key, wrapped[KEY_BYTES:], additional)
    if len(epoch_key) != KEY_BYTES:
        raise ProtocolError("an epoch key is 32 bytes")
    return epoch_key
