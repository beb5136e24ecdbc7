"""Device tokens and signatures: the two things a handler must check before the store."""

import hashlib
import secrets

from unspoken.api.problems import Problem
from unspoken.api.schemas import ExchangeKey
from unspoken.api.schemas.rules import SealedItem
from unspoken.protocol.chain import item_aad, verify_signature
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.exchange import verify_exchange_key
from unspoken.rules import Sealed
from unspoken.server.reads import DeviceAuth

TOKEN_BYTES = 32


def new_token() -> tuple[str, bytes]:
    """A fresh bearer token for the device, and the only thing we keep of it: its SHA-256."""
    raw = secrets.token_bytes(TOKEN_BYTES)
    return b64encode(raw), hashlib.sha256(raw).digest()


def require_exchange_key(device_key: bytes, notebook_id: str, exchange: ExchangeKey) -> None:
    """An exchange key must be signed by its device, for this notebook (422 otherwise)."""
    if not verify_exchange_key(device_key, notebook_id, exchange.key, exchange.sig):
        raise Problem(422, "Bad signature", "The exchange key is not signed by this device's key.")


def require_signature(public_key: bytes, additional: bytes, box: bytes, sig: bytes) -> None:
    if not verify_signature(public_key, additional, box, sig):
        raise Problem(422, "Bad signature", "The signature does not match this device's key.")


def sealed_item(nb: str, me: DeviceAuth, kind: str, item: SealedItem, ref: str = "") -> Sealed:
    """An item box the caller's device signed for this place; refused with 422 otherwise."""
    require_signature(
        me.public_key, item_aad(nb, kind, item.id, ref, me.device_id), item.ct, item.sig
    )
    return Sealed(item.id, me.device_id, item.ct, item.sig)


def maybe_item(nb: str, me: DeviceAuth, kind: str, item: SealedItem | None) -> Sealed | None:
    return None if item is None else sealed_item(nb, me, kind, item)
