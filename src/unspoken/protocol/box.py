"""Sealed boxes: padded AES-256-GCM with a version byte and framed additional data."""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from unspoken.protocol.encoding import lp
from unspoken.protocol.errors import ProtocolError

VERSION = 0x01
NONCE_BYTES = 12
TAG_BYTES = 16
MAX_BOX = 65536
PAD_BLOCK = 256
MAX_PADDED = (MAX_BOX - 1 - NONCE_BYTES - TAG_BYTES) // PAD_BLOCK * PAD_BLOCK


def aad(kind: str, *fields: bytes | str) -> bytes:
    """Additional data: what the box is and where it belongs."""
    return lp("unspoken/v1/" + kind, *fields)


def pad(plaintext: bytes) -> bytes:
    """ISO/IEC 7816-4 padding to a multiple of 256 bytes, so lengths leak less."""
    size = (len(plaintext) // PAD_BLOCK + 1) * PAD_BLOCK
    if size > MAX_PADDED:
        raise ProtocolError("the text is too long for one box")
    return plaintext + b"\x80" + bytes(size - len(plaintext) - 1)


def unpad(padded: bytes) -> bytes:
    body = padded.rstrip(b"\x00")
    if not body.endswith(b"\x80") or len(padded) % PAD_BLOCK:
        raise ProtocolError("bad padding")
    return body[:-1]


def seal(key: bytes, plaintext: bytes, additional: bytes, nonce: bytes | None = None) -> bytes:
    """Seal plaintext; the nonce is random unless a test vector fixes it."""
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ProtocolError("a nonce is 12 bytes")
    sealed = AESGCM(key).encrypt(nonce, pad(plaintext), additional)
    return bytes([VERSION]) + nonce + sealed


def open_box(key: bytes, box: bytes, additional: bytes) -> bytes:
    """Open a box, or raise ProtocolError if anything about it is wrong."""
    if len(box) < 1 + NONCE_BYTES + TAG_BYTES + PAD_BLOCK or len(box) > MAX_BOX:
        raise ProtocolError("a box of impossible size")
    if box[0] != VERSION:
        raise ProtocolError("unknown box version")
    nonce, sealed = box[1 : 1 + NONCE_BYTES], box[1 + NONCE_BYTES :]
    try:
        padded = AESGCM(key).decrypt(nonce, sealed, additional)
    except InvalidTag as exc:
        raise ProtocolError("the box does not open: wrong key, or altered") from exc
    return unpad(padded)
