"""Device tokens and signatures: the two things a handler must check before the store."""

import hashlib
import secrets

from unspoken.problems import Problem
from unspoken.protocol.chain import verify_signature
from unspoken.protocol.encoding import b64encode

TOKEN_BYTES = 32


def new_token() -> tuple[str, bytes]:
    """A fresh bearer token for the device, and the only thing we keep of it: its SHA-256."""
    raw = secrets.token_bytes(TOKEN_BYTES)
    return b64encode(raw), hashlib.sha256(raw).digest()


def require_signature(public_key: bytes, additional: bytes, box: bytes, sig: bytes) -> None:
    if not verify_signature(public_key, additional, box, sig):
        raise Problem(422, "Bad signature", "The signature does not match this device's key.")
