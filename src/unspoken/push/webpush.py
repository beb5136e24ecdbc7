"""One Web Push message (RFC 8030), its payload encrypted for the device (RFC 8291, aes128gcm).

Every payload has the same length and names only a notice kind and the notebook, so neither
the push service nor the network can tell one notice from another, let alone read a word.
"""

import json

import http_ece
import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from unspoken.push.notices import NoticeKind
from unspoken.push.subscriptions import Endpoint
from unspoken.push.vapid import Signer

PAYLOAD_BYTES = 96  # longer than any notice; JSON allows the trailing spaces that pad it
TTL_SECONDS = 24 * 60 * 60  # a day: news a phone that was off can still use
# One topic for every notice: a newer message replaces an undelivered older one, and the
# push service cannot tell notices (or notebooks) apart by it.
TOPIC = "unspoken"


def payload(kind: NoticeKind, notebook_id: str) -> bytes:
    text = json.dumps({"kind": kind, "notebook": notebook_id}, separators=(",", ":"))
    return text.ljust(PAYLOAD_BYTES).encode()


def encrypt(plaintext: bytes, endpoint: Endpoint) -> bytes:
    """aes128gcm for the device's P-256 key and auth secret, from a fresh key of ours."""
    sender = ec.generate_private_key(ec.SECP256R1())
    body: bytes = http_ece.encrypt(
        plaintext,
        private_key=sender,
        dh=endpoint.p256dh,
        auth_secret=endpoint.auth,
        version="aes128gcm",
    )
    return body


async def send(
    http: httpx.AsyncClient, signer: Signer, endpoint: Endpoint, kind: NoticeKind, notebook_id: str
) -> httpx.Response:
    """POST one notice to the push service; the caller decides what its answer means."""
    headers = {
        "Authorization": signer.authorization(endpoint.url),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
        "Topic": TOPIC,
    }
    body = encrypt(payload(kind, notebook_id), endpoint)
    return await http.post(endpoint.url, content=body, headers=headers)
