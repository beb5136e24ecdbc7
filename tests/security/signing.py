"""Sign a fuzzed, schema-valid body as the calling device would (docs/protocol.md).

No schema can say "signed by this device's key", so without this every generated body would
stop at the signature check (422). With it, schemathesis's positive cases reach the rules.
Likewise no schema can say "a key on the P-256 curve" or "a time zone this machine knows": a
push subscription gets a real key, quiet hours a real zone, as the browser would give them.
"""

import os
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.helpers import Device, aad, b64, lp, new_id, unb64

Signer = Callable[[Any, str, Device, dict[str, str]], None]


def whole(number: Any) -> str:
    """How the server writes a JSON number into additional data: 3.0 is 3."""
    return str(int(number)) if isinstance(number, float) else str(number)


def _resign(box: Any, device: Device, additional: bytes) -> None:
    if isinstance(box, dict) and isinstance(box.get("ct"), str):
        box["sig"] = b64(device.sign(additional, unb64(box["ct"])))


def _item(kind: str, field: str | None = None, ref: str = "") -> Signer:
    """An item box (aad kind `item`), the body itself or one of its fields."""

    def sign(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
        box = body if field is None else body.get(field)
        if isinstance(box, dict) and isinstance(box.get("id"), str):
            where = path.get(ref, "") if ref != "n" else whole(body.get("n"))
            _resign(box, device, aad("item", nb, kind, box["id"], where, device.id))

    return sign


def _profile(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    _resign(body, device, aad("profile", nb, device.id))


def _sign_exchange_key(exchange: Any, nb: str, device: Device) -> None:
    """The device's signature over its exchange key, for one notebook."""
    if isinstance(exchange, dict) and isinstance(exchange.get("key"), str):
        signed = lp("unspoken/v1/exchange-key", nb, unb64(exchange["key"]))
        exchange["sig"] = b64(device.key.sign(signed))


def _new_notebook(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    fresh = Device()  # a notebook is begun by a device of its own
    body["device_key"] = b64(fresh.public)
    _resign(body.get("profile"), fresh, aad("profile", body["id"], fresh.id))
    _sign_exchange_key(body.get("exchange_key"), body["id"], fresh)


def _exchange_key(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    _sign_exchange_key(body, nb, device)


def _entry(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    chapter, prev = whole(body["chapter"]), unb64(body["prev"])
    _resign(body, device, aad("entry", nb, chapter, body["id"], device.id, prev))


def _draft(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    chapter, n = whole(body["chapter"]), whole(body["n"])
    _resign(body, device, aad("draft", nb, chapter, body["draft"], n, device.id))


def _seen(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    _resign(body, device, aad("seen", nb, device.id, whole(body["n"])))


def _wraps(epoch: Any, nb: str, device: Device) -> None:
    """Each wrap of a new epoch's key, signed for its place (notebook, epoch, device)."""
    if not isinstance(epoch, dict) or not isinstance(epoch.get("wraps"), list):
        return
    for wrap in epoch["wraps"]:
        if isinstance(wrap, dict) and isinstance(wrap.get("device"), str):
            additional = aad("epoch-key", nb, whole(epoch.get("n")), wrap["device"])
            if isinstance(wrap.get("wrap"), str):
                wrap["sig"] = b64(device.sign(additional, unb64(wrap["wrap"])))


def _new_epoch(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    _wraps(body, nb, device)


def _revocation(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    """The revocation of the device the path names, signed over the new epoch it begins (v2)."""
    epoch = body.get("epoch")
    n = whole(epoch.get("n")) if isinstance(epoch, dict) else "0"
    signed = lp("unspoken/v2/device-revoke", nb, device.member_id, path.get("device", ""), n)
    body["sig"] = b64(device.key.sign(signed))
    _wraps(body.get("epoch"), nb, device)


def _link_claim(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    """A new device claims a link: its own key, and its exchange key signed by it."""
    fresh = Device()
    body["device_key"] = b64(fresh.public)
    _sign_exchange_key(body.get("exchange_key"), nb, fresh)


PUSH_SERVICE = "http://127.0.0.1:9"  # the test app's only push service: nothing listens there


def _subscription(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    """What a browser's PushSubscription gives: a push service's address, a P-256 key."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    body["endpoint"] = f"{PUSH_SERVICE}/push/{new_id()}"
    body["keys"] = {"p256dh": b64(point), "auth": b64(os.urandom(16))}


def _preferences(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    """Quiet hours in the zone the browser reports (Intl's IANA name)."""
    if isinstance(body.get("quiet"), dict):
        body["quiet"]["zone"] = "Europe/Paris"


SIGNERS: dict[str, Signer] = {
    "/v1/notebooks": _new_notebook,
    "/v1/notebooks/{nb}/profile": _profile,
    "/v1/notebooks/{nb}/exchange-key": _exchange_key,
    "/v1/notebooks/{nb}/entries": _entry,
    "/v1/notebooks/{nb}/drafts": _draft,
    "/v1/notebooks/{nb}/seen": _seen,
    "/v1/notebooks/{nb}/pause": _item("pause-note", "note"),
    "/v1/notebooks/{nb}/pause/here": _item("here-note", "note"),
    "/v1/notebooks/{nb}/promises": _item("promise"),
    "/v1/notebooks/{nb}/promises/{promise}/mark": _item("promise-note", "note", "promise"),
    "/v1/notebooks/{nb}/agreements": _item("agreement"),
    "/v1/notebooks/{nb}/chapters": _item("chapter", "meta", "n"),
    "/v1/notebooks/{nb}/epochs": _new_epoch,
    "/v1/notebooks/{nb}/devices/{device}/revoke": _revocation,
    "/v1/links/{link}/claim": _link_claim,
    "/v1/notebooks/{nb}/push/subscription": _subscription,
    "/v1/notebooks/{nb}/push/preferences": _preferences,
}


def sign_body(case: Any, nb: str, device: Device) -> None:
    """Sign `case.body` in place for notebook `nb`, when its operation carries a signature."""
    signer = SIGNERS.get(case.operation.path)
    if signer is not None and isinstance(case.body, dict):
        signer(case.body, nb, device, dict(case.path_parameters or {}))


def cosign(agreement: dict[str, str], nb: str, proposer: Device, device: Device) -> str:
    """The co-signature over exactly what the proposer signed."""
    additional = aad("item", nb, "agreement", agreement["id"], "", proposer.id)
    return b64(device.sign(additional, unb64(agreement["ct"])))


def certify(nb: str, device: Device, new_key: bytes) -> str:
    """The certificate by which `device` lets a new device of its member in."""
    return b64(device.key.sign(lp("unspoken/v1/device-cert", nb, device.member_id, new_key)))
