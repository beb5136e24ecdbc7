"""Sealed boxes: padded AES-256-GCM with a version byte and framed additional data.

Version 1 boxes belong to key epoch 0 (the notebook key the creator made). Version 2 boxes carry
their epoch in the clear after the version byte, and the AEAD's additional data ends with that
epoch too, so a box cannot be passed off under another epoch (docs/protocol.md, "Key epochs").
"""

import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from unspoken.protocol.encoding import lp
from unspoken.protocol.errors import ProtocolError

VERSION = 0x01
EPOCH_VERSION = 0x02
EPOCH_BYTES = 4
NONCE_BYTES = 12
TAG_BYTES = 16
MAX_BOX = 65536
PAD_BLOCK = 256
MAX_PADDED = (MAX_BOX - 1 - EPOCH_BYTES - NONCE_BYTES - TAG_BYTES) // PAD_BLOCK * PAD_BLOCK


# One key, or a keyring of content keys by epoch: sealing uses the newest, opening the box's own.
Keys = bytes | Mapping[int, bytes]


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


def newest(keys: Keys) -> tuple[bytes, int]:
    """The key and epoch new boxes are sealed with: a lone key is epoch 0's."""
    if isinstance(keys, bytes):
        return keys, 0
    epoch = max(keys)
    return keys[epoch], epoch


def epoch_of(box: bytes) -> int:
    """The key epoch a box was sealed in, read from its header."""
    if box[:1] == bytes([EPOCH_VERSION]) and len(box) >= 1 + EPOCH_BYTES:
        return int.from_bytes(box[1 : 1 + EPOCH_BYTES], "big")
    if box[:1] == bytes([VERSION]):
        return 0
    raise ProtocolError("unknown box version")


def _with_epoch(additional: bytes, epoch: int) -> bytes:
    return additional if epoch == 0 else additional + lp(str(epoch))


def seal(keys: Keys, plaintext: bytes, additional: bytes, nonce: bytes | None = None) -> bytes:
    """Seal plaintext in the newest epoch of `keys`; the nonce is random unless a test vector
    fixes it."""
    key, epoch = newest(keys)
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ProtocolError("a nonce is 12 bytes")
    if not 0 <= epoch < 2**32:
        raise ProtocolError("an epoch is a 32-bit number")
    sealed = AESGCM(key).encrypt(nonce, pad(plaintext), _with_epoch(additional, epoch))
    if epoch == 0:
        return bytes([VERSION]) + nonce + sealed
    return bytes([EPOCH_VERSION]) + epoch.to_bytes(EPOCH_BYTES, "big") + nonce + sealed


def open_box(keys: Keys, box: bytes, additional: bytes) -> bytes:
    """Open a box with its epoch's key, or raise ProtocolError if anything about it is wrong."""
    epoch = epoch_of(box)
    header = 1 if epoch == 0 and box[0] == VERSION else 1 + EPOCH_BYTES
    if len(box) < header + NONCE_BYTES + TAG_BYTES + PAD_BLOCK or len(box) > MAX_BOX:
        raise ProtocolError("a box of impossible size")
    key = keys if isinstance(keys, bytes) else keys.get(epoch)
    if key is None:
        raise ProtocolError(f"this device holds no key for epoch {epoch}")
    nonce, sealed = box[header : header + NONCE_BYTES], box[header + NONCE_BYTES :]
    try:
        padded = AESGCM(key).decrypt(nonce, sealed, _with_epoch(additional, epoch))
    except InvalidTag as exc:
        raise ProtocolError("the box does not open: wrong key, or altered") from exc
    return unpad(padded)
