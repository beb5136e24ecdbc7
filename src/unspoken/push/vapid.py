"""The server's VAPID key (RFC 8292): it signs every push, so push services know it is us.

Made on first start beside the SQLite file (or where `vapid_key` says), readable only by the
server's user. Several processes must share one key: a subscription names the key it was made
for, and a push signed with another is refused.
"""

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from unspoken.protocol.encoding import b64encode

# A push service keeps a token this long; py_vapid's own default is a day.
TOKEN_SECONDS = 12 * 60 * 60
log = logging.getLogger(__name__)


class VapidKeyError(RuntimeError):
    """The key file cannot be read or made; the message says which file and why."""


def load_or_create(path: Path) -> ec.EllipticCurvePrivateKey:
    """The P-256 key in `path` (PEM), made there first if there is none."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago: use theirs
        return _read(path)
    except OSError as exc:
        raise VapidKeyError(f"Cannot create the VAPID key {path}: {exc.strerror}.") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
        file.flush()
        os.fsync(file.fileno())
    log.info("made a new VAPID key at %s", path)
    return key


def _read(path: Path) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise VapidKeyError(f"The VAPID key {path} cannot be read: {exc}.") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError(f"The VAPID key {path} is not a P-256 key.")
    return key


@dataclass(frozen=True)
class Signer:
    """Signs the Authorization header for one push; `contact` is the `sub` claim."""

    key: ec.EllipticCurvePrivateKey
    contact: str

    @property
    def public_key(self) -> str:
        """The application server key browsers subscribe with (b64url, uncompressed point)."""
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64encode(raw)

    def authorization(self, endpoint: str) -> str:
        """`vapid t=<JWT>, k=<key>` for the endpoint's origin (the `aud` claim)."""
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int(time.time()) + TOKEN_SECONDS,  # real time: push services check it
            "sub": self.contact,
        }
        vapid = Vapid02(self.key, conf={"no-strict": True})
        headers: dict[str, str] = vapid.sign(claims)
        return headers["Authorization"]
