"""Wire encodings: strict base64url, length-prefixed framing, random ids."""

import base64
import binascii
import re
import secrets

from unspoken.protocol.errors import ProtocolError

ID_BYTES = 16
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64encode(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode strict base64url: no padding, no stray characters, canonical trailing bits."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ProtocolError("not base64url text")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError("not base64url text") from exc
    if b64encode(data) != text:
        raise ProtocolError("not canonical base64url text")
    return data


def lp(*parts: bytes | str) -> bytes:
    """Frame each part with its 4-byte big-endian length so concatenations are unambiguous."""
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def new_id() -> str:
    """A fresh 128-bit random id."""
    return b64encode(secrets.token_bytes(ID_BYTES))


def is_id(text: str) -> bool:
    """True for the b64 form of exactly 16 bytes."""
    if not isinstance(text, str) or len(text) != 22:
        return False
    try:
        return len(b64decode(text)) == ID_BYTES
    except ProtocolError:
        return False
