"""What binds an entry to its place: additional data, signatures and the hash chain."""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from unspoken.protocol.box import aad
from unspoken.protocol.encoding import lp

GENESIS = bytes(32)


def entry_aad(notebook_id: str, chapter: int, entry_id: str, device_id: str, prev: bytes) -> bytes:
    return aad("entry", notebook_id, str(chapter), entry_id, device_id, prev)


def profile_aad(notebook_id: str, device_id: str) -> bytes:
    return aad("profile", notebook_id, device_id)


def invite_aad(invite_id: str) -> bytes:
    return aad("invite", invite_id)


def item_aad(notebook_id: str, kind: str, item_id: str, ref: str, device_id: str) -> bytes:
    """A rule's text (a pause note, a promise, a chapter title…), bound to what it belongs to."""
    return aad("item", notebook_id, kind, item_id, ref, device_id)


def draft_aad(notebook_id: str, chapter: int, draft_id: str, n: int, device_id: str) -> bytes:
    """One frame of a draft as it forms; `n` orders the frames of one draft."""
    return aad("draft", notebook_id, str(chapter), draft_id, str(n), device_id)


def seen_aad(notebook_id: str, device_id: str, n: int) -> bytes:
    """One read-position frame of one device; `n` orders a device's frames."""
    return aad("seen", notebook_id, device_id, str(n))


def signed_message(additional: bytes, box: bytes) -> bytes:
    """The exact bytes a device signs for a box."""
    return lp("unspoken/v1/signed", additional, box)


def verify_signature(public_key: bytes, additional: bytes, box: bytes, sig: bytes) -> bool:
    return verify_raw(public_key, signed_message(additional, box), sig)


def verify_raw(public_key: bytes, message: bytes, sig: bytes) -> bool:
    """Ed25519 verification of exact bytes; False for anything malformed."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def entry_hash(additional: bytes, box: bytes, sig: bytes) -> bytes:
    """The link the next entry names as its prev."""
    return hashlib.sha256(lp(additional, box, sig)).digest()
