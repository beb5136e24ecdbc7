"""A push service of our own on 127.0.0.1, and a device's push keys: real HTTP, real crypto.

The device half is written from RFC 8291 / RFC 8292 with `cryptography` and `http_ece`, not
with the server's push code, so the tests check the server against the standards.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Arrival:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """Records every POST; answers with the next of `answers` (then 201)."""

    origin: str = ""
    arrivals: list[Arrival] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, path: str) -> list[Arrival]:
        with self.lock:
            return [a for a in self.arrivals if a.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 10.0) -> list[Arrival]:
        deadline = time.monotonic() + timeout
        while len(self.to(path)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.to(path)


def serve(service: PushService) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with service.lock:
                service.arrivals.append(Arrival(self.path, dict(self.headers.items()), body))
                status = service.answers.pop(0) if service.answers else 201
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.origin = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class PushDevice:
    """A browser's half of Web Push: a P-256 key pair and an auth secret, made here."""

    def __init__(self, service: PushService) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = "/push/" + b64(os.urandom(12))
        self.endpoint = service.origin + self.path

    def subscription(self) -> dict[str, Any]:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        keys = {"p256dh": b64(public), "auth": b64(self.auth)}
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": keys}

    def open(self, arrival: Arrival) -> dict[str, Any]:
        assert arrival.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            arrival.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        notice: dict[str, Any] = json.loads(plain)
        return notice


def vapid_claims(arrival: Arrival, server_key: str) -> dict[str, Any]:
    """Check `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292) and return the JWT's claims."""
    scheme, _, params = arrival.headers["Authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == server_key
    signed, _, signature = fields["t"].rpartition(".")
    header = json.loads(unb64(signed.split(".")[0]))
    assert header == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(fields["k"]))
    der = utils.encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims: dict[str, Any] = json.loads(unb64(signed.split(".")[1]))
    return claims
