"""Item boxes (the rules' texts) and draft frames: sealed with CK, signed by their device."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from unspoken.protocol import chain
from unspoken.protocol.box import Keys
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.ink import Strokes, encode_ink
from unspoken.protocol.keys import DeviceKey
from unspoken.protocol.messages import Signed, _open_signed, _parse, _seal_signed, open_ink

ITEM_KINDS = frozenset(
    {
        "pause-note",
        "here-note",
        "promise",
        "promise-note",
        "agreement",
        "agreement-note",
        "chapter",
    }
)


@dataclass(frozen=True)
class Place:
    """Where an item belongs: its notebook, kind, own id, and what it refers to ("" if none)."""

    notebook_id: str
    kind: str
    item_id: str
    ref: str = ""

    def aad(self, device_id: str) -> bytes:
        if self.kind not in ITEM_KINDS:
            raise ProtocolError(f"unknown item kind {self.kind!r}")
        return chain.item_aad(self.notebook_id, self.kind, self.item_id, self.ref, device_id)


def seal_item(
    ck: Keys, device: DeviceKey, place: Place, body: dict[str, Any], nonce: bytes | None = None
) -> Signed:
    return _seal_signed(ck, device, place.aad(device.id), body, nonce)


def open_item(
    ck: Keys, author_key: bytes, place: Place, device_id: str, ct: str, sig: str
) -> dict[str, Any]:
    """Verify and open an item box; text items hold {"text": …}, chapters their meta."""
    body = _parse(_open_signed(ck, author_key, place.aad(device_id), ct, sig))
    if place.kind == "chapter":
        if not isinstance(body.get("title"), str) or not isinstance(body.get("mirror"), bool):
            raise ProtocolError("a chapter has a title and a mirror choice")
    elif not isinstance(body.get("text"), str):
        raise ProtocolError("an item holds text")
    return body


def seal_draft(
    ck: Keys,
    device: DeviceKey,
    place: tuple[str, int, str, int],
    text: str,
    nonce: bytes | None = None,
    ink: Sequence[Sequence[Sequence[int]]] | None = None,
) -> Signed:
    """Seal one draft frame at (notebook_id, chapter, draft_id, n): the whole draft so far,
    with `ink` (every stroke so far, encoded as an entry's ink) when it is written by hand."""
    notebook_id, chapter, draft_id, n = place
    additional = chain.draft_aad(notebook_id, chapter, draft_id, n, device.id)
    body: dict[str, Any] = {"text": text}
    if ink is not None:
        body["ink"] = b64encode(encode_ink(ink))
    return _seal_signed(ck, device, additional, body, nonce)


def open_draft(ck: Keys, author_key: bytes, notebook_id: str, frame: dict[str, Any]) -> str:
    """A frame's text (its transcript, for one written by hand)."""
    return open_draft_frame(ck, author_key, notebook_id, frame)[0]


def open_draft_frame(
    ck: Keys, author_key: bytes, notebook_id: str, frame: dict[str, Any]
) -> tuple[str, Strokes | None]:
    """A frame's text and its strokes so far (None for a typed draft), checked."""
    additional = chain.draft_aad(
        notebook_id, frame["chapter"], frame["draft"], frame["n"], frame["device"]
    )
    body = _parse(_open_signed(ck, author_key, additional, frame["ct"], frame["sig"]))
    if not isinstance(body.get("text"), str):
        raise ProtocolError("a draft frame holds text")
    strokes = open_ink(body["ink"]) if "ink" in body else None
    return str(body["text"]), strokes
