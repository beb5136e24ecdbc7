"""Sign a fuzzed, schema-valid body as the calling device would (docs/protocol.md).

No schema can say "signed by this device's key", so without this every generated body would
stop at the signature check (422). With it, schemathesis's positive cases reach the rules.
"""

from collections.abc import Callable
from typing import Any

from api.helpers import Device, aad, b64, lp, unb64

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


SIGNERS: dict[str, Signer] = {
    "/v1/notebooks": _new_notebook,
    "/v1/notebooks/{nb}/profile": _profile,
    "/v1/notebooks/{nb}/exchange-key": _exchange_key,
    "/v1/notebooks/{nb}/entries": _entry,
    "/v1/notebooks/{nb}/drafts": _draft,
    "/v1/notebooks/{nb}/pause": _item("pause-note", "note"),
    "/v1/notebooks/{nb}/pause/here": _item("here-note", "note"),
    "/v1/notebooks/{nb}/promises": _item("promise"),
    "/v1/notebooks/{nb}/promises/{promise}/mark": _item("promise-note", "note", "promise"),
    "/v1/notebooks/{nb}/agreements": _item("agreement"),
    "/v1/notebooks/{nb}/chapters": _item("chapter", "meta", "n"),
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
