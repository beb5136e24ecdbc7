"""Sign a fuzzed, schema-valid request as the calling device would (docs/protocol.md).

No schema can say "signed by this device's key", so without this every generated body would
stop at the signature check (422), and every request that acts at the act check (428). With it,
schemathesis's positive cases reach the rules: their bodies are signed, and their acts too (the
Unspoken-Act header, protocol v2), as that device would sign them in the notebook as it is.
Likewise no schema can say "a key on the P-256 curve" or "a time zone this machine knows": a
push subscription gets a real key, quiet hours a real zone, as the browser would give them.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.helpers import Act, Device, aad, act_header, asked, b64, lp, new_id, unb64

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


def _pause(body: Any, nb: str, device: Device, path: dict[str, str]) -> None:
    """When the device asked for time, on its own clock (the server's, give or take); its note."""
    body["asked"] = asked()
    _item("pause-note", "note")(body, nb, device, path)


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
    "/v1/notebooks/{nb}/pause": _pause,
    "/v1/notebooks/{nb}/pause/here": _item("here-note", "note"),
    "/v1/notebooks/{nb}/promises": _item("promise"),
    "/v1/notebooks/{nb}/promises/{promise}/mark": _item("promise-note", "note", "promise"),
    "/v1/notebooks/{nb}/agreements": _item("agreement"),
    "/v1/notebooks/{nb}/agreements/{agreement}/not-yet": _item(
        "agreement-note", "note", "agreement"
    ),
    "/v1/notebooks/{nb}/agreements/{agreement}/revise": _item("agreement"),
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


@dataclass
class Where:
    """What a device knows of its notebook when it acts, kept from the server's answers."""

    chapter: int = 1
    open: bool = True  # the chapter
    paused: bool = False  # someone's pause is on

    def follow(self, answer: Any) -> None:
        """Take the notebook's state from an answer that is a view of the notebook."""
        if isinstance(answer, dict) and {"chapter", "chapter_state", "pause"} <= set(answer):
            self.chapter, self.open = answer["chapter"], answer["chapter_state"] == "open"
            self.paused = answer["pause"] is not None


def _text(value: Any) -> str:
    """A field as an act names it: 3.0 is 3, as the server reads the number."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _id(box: Any) -> str:
    """A sealed item's id, or "" for none."""
    return _text(box["id"]) if isinstance(box, dict) and "id" in box else ""


Acts = Callable[[dict[str, Any], dict[str, Any], Where, str], list[Act]]


def _opening(body: dict[str, Any], params: dict[str, Any], where: Where, partner: str) -> list[Act]:
    """A new chapter closes the open one first: two acts, closed then opened."""
    n, mode = _text(body.get("n")), _text(body.get("mode", "turns"))
    opened = ("chapter.opened", n, mode, _id(body.get("meta")))
    return [("chapter.closed", str(where.chapter), "", ""), opened] if where.open else [opened]


def _pausing(body: dict[str, Any], params: dict[str, Any], where: Where, partner: str) -> list[Act]:
    kind = "pause.renewed" if where.paused else "pause.started"
    said = f"{_text(body.get('minutes'))}@{_text(body.get('asked'))}"
    return [(kind, "", said, _id(body.get("note")))]


# What each request that acts makes (protocol.md's table): its acts from the request's body,
# its path's parameters, the notebook as last seen and the partner's member id.
ACTS: dict[str, Acts] = {
    "/v1/notebooks/{nb}/pen/pass": lambda b, p, w, partner: [
        ("pen.passed", str(w.chapter), partner, "")
    ],
    "/v1/notebooks/{nb}/pen/ask": lambda b, p, w, _: [("pen.asked", str(w.chapter), "", "")],
    "/v1/notebooks/{nb}/mode": lambda b, p, w, _: [
        ("mode.changed", str(w.chapter), _text(b.get("mode")), "")
    ],
    "/v1/notebooks/{nb}/pause": _pausing,
    "/v1/notebooks/{nb}/pause/here": lambda b, p, w, _: [
        ("pause.here", "", "", _id(b.get("note")))
    ],
    "/v1/notebooks/{nb}/pause/ready": lambda b, p, w, _: [("pause.ended", "", "ready", "")],
    "/v1/notebooks/{nb}/promises": lambda b, p, w, partner: [
        ("promise.made", _id(b), partner, _id(b))
    ],
    "/v1/notebooks/{nb}/promises/{promise}/acknowledge": lambda b, p, w, _: [
        ("promise.acknowledged", _text(p.get("promise")), "", "")
    ],
    "/v1/notebooks/{nb}/promises/{promise}/withdraw": lambda b, p, w, _: [
        ("promise.withdrawn", _text(p.get("promise")), "", "")
    ],
    "/v1/notebooks/{nb}/promises/{promise}/mark": lambda b, p, w, _: [
        ("promise.marked", _text(p.get("promise")), _text(b.get("outcome")), _id(b.get("note")))
    ],
    "/v1/notebooks/{nb}/agreements": lambda b, p, w, _: [
        ("agreement.proposed", _id(b), "", _id(b))
    ],
    "/v1/notebooks/{nb}/agreements/{agreement}/sign": lambda b, p, w, _: [
        ("agreement.signed", _text(p.get("agreement")), "", "")
    ],
    "/v1/notebooks/{nb}/agreements/{agreement}/not-yet": lambda b, p, w, _: [
        ("agreement.declined", _text(p.get("agreement")), "", _id(b.get("note")))
    ],
    "/v1/notebooks/{nb}/agreements/{agreement}/revise": lambda b, p, w, _: [
        ("agreement.revised", _text(p.get("agreement")), "", _id(b))
    ],
    "/v1/notebooks/{nb}/chapters": _opening,
    "/v1/notebooks/{nb}/chapters/{n}/close": lambda b, p, w, _: [
        ("chapter.closed", _text(p.get("n")), "", "")
    ],
    "/v1/notebooks/{nb}/mirror": lambda b, p, w, _: [
        ("mirror.answered", str(w.chapter), _text(b.get("answer")), "")
    ],
    "/v1/notebooks/{nb}/leave": lambda b, p, w, _: [("member.left", "", "", "")],
    "/v1/notebooks/{nb}/entries/{entry}/cross": lambda b, p, w, _: [
        ("entry.crossed", _text(p.get("entry")), "", "")
    ],
}


def sign_acts(case: Any, nb: str, device: Device, where: Where, partner: str) -> None:
    """Put the device's signature over each act the case makes in its Unspoken-Act header."""
    making = ACTS.get(case.operation.path)
    if making is None or case.method.upper() != "POST":
        return
    body = case.body if isinstance(case.body, dict) else {}
    made = making(body, dict(case.path_parameters or {}), where, partner)
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "unspoken-act"}
    case.headers = {**headers, "Unspoken-Act": act_header(nb, device, *made)}
