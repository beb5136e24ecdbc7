"""The three kinds of sealed message — entry, profile, invite bundle — made and opened."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from unspoken.protocol import box, chain
from unspoken.protocol.box import Keys
from unspoken.protocol.encoding import b64decode, b64encode
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.ink import Strokes, decode_ink, encode_ink
from unspoken.protocol.keys import DeviceKey


@dataclass(frozen=True)
class Signed:
    """A box and its signature, as they travel: `ct` and `sig` are b64 on the wire."""

    box: bytes
    sig: bytes
    aad: bytes

    @property
    def hash(self) -> bytes:
        return chain.entry_hash(self.aad, self.box, self.sig)

    def wire(self) -> dict[str, str]:
        return {"ct": b64encode(self.box), "sig": b64encode(self.sig)}


def _json(value: dict[str, Any]) -> bytes:
    """What a box seals; text with a lone surrogate (e.g. "\\ud800") cannot be UTF-8, and is
    refused in words before anything is sealed or sent."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end].encode("unicode_escape").decode("ascii")
        raise ValueError(
            f"the text is not valid Unicode: it holds a lone surrogate ({bad})"
        ) from None


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError("the sealed message is not JSON") from exc
    if not isinstance(value, dict):
        raise ProtocolError("the sealed message is not a JSON object")
    return value


def _seal_signed(
    key: Keys, device: DeviceKey, additional: bytes, body: dict[str, Any], nonce: bytes | None
) -> Signed:
    sealed = box.seal(key, _json(body), additional, nonce)
    return Signed(sealed, device.sign(chain.signed_message(additional, sealed)), additional)


def _open_signed(key: Keys, author_key: bytes, additional: bytes, ct: str, sig: str) -> bytes:
    sealed, signature = b64decode(ct), b64decode(sig)
    if not chain.verify_signature(author_key, additional, sealed, signature):
        raise ProtocolError("the signature does not match the author's key")
    return box.open_box(key, sealed, additional)


def seal_entry(
    ck: Keys,
    device: DeviceKey,
    place: tuple[str, int, str, bytes],
    text: str,
    nonce: bytes | None = None,
    mirror: bool = False,
    seen: tuple[int, bytes] | None = None,
    ink: Sequence[Sequence[Sequence[int]]] | None = None,
) -> Signed:
    """Seal and sign text at (notebook_id, chapter, entry_id, prev); a restatement in a
    mirror-before-reply chapter also carries `"mirror": true`. `seen` (protocol v2) is the log
    as the writer's device had followed it, (seq, log digest), sealed and signed with the words
    so that the partner's device can tell a fork at the next line. With `ink` (strokes) the entry is
    written by hand (type "ink", docs/protocol.md "Ink") and `text` is its typed transcript or
    "": they are checked against the ink's limits first (ProtocolError, a ValueError)."""
    notebook_id, chapter, entry_id, prev = place
    additional = chain.entry_aad(notebook_id, chapter, entry_id, device.id, prev)
    body: dict[str, Any] = {"type": "text", "text": text}
    if ink is not None:
        if not ink:
            raise ProtocolError("an entry written by hand holds at least one stroke")
        body = {"type": "ink", "ink": b64encode(encode_ink(ink)), "text": text}
    if mirror:
        body["mirror"] = True
    if seen is not None:
        body["seen"] = {"seq": seen[0], "digest": b64encode(seen[1])}
    return _seal_signed(ck, device, additional, body, nonce)


def open_entry(
    ck: Keys, author_key: bytes, notebook_id: str, record: dict[str, Any]
) -> tuple[str, bytes]:
    """Verify and open an entry record from the server; returns (text, the entry's hash)."""
    body, digest = open_entry_body(ck, author_key, notebook_id, record)
    return str(body["text"]), digest


def open_entry_body(
    ck: Keys, author_key: bytes, notebook_id: str, record: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """Like open_entry, but the whole sealed body (with `mirror` when it is a restatement).
    An entry written by hand comes back with its `ink` decoded and checked: the strokes, as
    tuples; a typed entry's body has no `ink`."""
    try:
        additional = chain.entry_aad(
            notebook_id,
            int(record["chapter"]),
            str(record["id"]),
            str(record["device"]),
            b64decode(record["prev"]),
        )
        ct, sig = record["ct"], record["sig"]
    except (KeyError, TypeError, ValueError) as exc:  # a malformed record is a lie, not a crash
        raise ProtocolError("the entry record is malformed") from exc
    body = _parse(_open_signed(ck, author_key, additional, ct, sig))
    if body.get("type") not in ("text", "ink") or not isinstance(body.get("text"), str):
        raise ProtocolError("an entry holds text, or ink and its transcript")
    if body["type"] == "ink":
        body["ink"] = open_ink(body.get("ink"))
        if not body["ink"]:
            raise ProtocolError("an entry written by hand holds at least one stroke")
    elif "ink" in body:
        raise ProtocolError("a typed entry holds no ink")
    return body, chain.entry_hash(additional, b64decode(ct), b64decode(sig))


def open_ink(sealed: object) -> Strokes:
    """The strokes of a sealed body's `ink` (b64 of the encoded bytes), checked."""
    if not isinstance(sealed, str):
        raise ProtocolError("ink is base64url text")
    return decode_ink(b64decode(sealed))


def seal_profile(
    ck: Keys,
    device: DeviceKey,
    notebook_id: str,
    profile: dict[str, Any],
    nonce: bytes | None = None,
) -> Signed:
    return _seal_signed(ck, device, chain.profile_aad(notebook_id, device.id), profile, nonce)


def open_profile(
    ck: Keys, author_key: bytes, notebook_id: str, device_id: str, ct: str, sig: str
) -> dict[str, Any]:
    additional = chain.profile_aad(notebook_id, device_id)
    profile = _parse(_open_signed(ck, author_key, additional, ct, sig))
    if not isinstance(profile.get("name"), str) or not isinstance(profile.get("hand"), dict):
        raise ProtocolError("a profile has a name and a hand")
    return profile


@dataclass(frozen=True)
class Bundle:
    """What the creator hands the joiner through the invite: the notebook key and its own key,
    and the keys of any later epochs (after a declined joiner), so the whole history opens."""

    notebook_id: str
    notebook_key: bytes
    creator_device_key: bytes
    epoch_keys: Mapping[int, bytes] = field(default_factory=dict)

    def seal(self, wrap: bytes, invite_id: str, nonce: bytes | None = None) -> bytes:
        body: dict[str, Any] = {
            "notebook_id": self.notebook_id,
            "notebook_key": b64encode(self.notebook_key),
            "creator_device_key": b64encode(self.creator_device_key),
        }
        if self.epoch_keys:
            body["epoch_keys"] = {str(n): b64encode(k) for n, k in sorted(self.epoch_keys.items())}
        return box.seal(wrap, _json(body), chain.invite_aad(invite_id), nonce)

    @classmethod
    def open(cls, wrap: bytes, invite_id: str, sealed: bytes) -> "Bundle":
        body = _parse(box.open_box(wrap, sealed, chain.invite_aad(invite_id)))
        try:
            bundle = cls(
                body["notebook_id"],
                b64decode(body["notebook_key"]),
                b64decode(body["creator_device_key"]),
                parse_epoch_keys(body.get("epoch_keys") or {}),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ProtocolError("the invite bundle is incomplete") from exc
        if len(bundle.notebook_key) != 32 or len(bundle.creator_device_key) != 32:
            raise ProtocolError("the invite bundle holds keys of the wrong size")
        return bundle

    @property
    def keys(self) -> dict[int, bytes]:
        """Every epoch's notebook key, epoch 0 included."""
        return {0: self.notebook_key, **self.epoch_keys}


def parse_epoch_keys(raw: Mapping[str, str], first: int = 1) -> dict[int, bytes]:
    """{"1": b64(key), …} → {1: key, …}; epochs are decimals from `first`, keys 32 bytes."""
    if not isinstance(raw, Mapping):
        raise ProtocolError("epoch keys are an object")
    keys: dict[int, bytes] = {}
    for name, value in raw.items():
        if not (name.isdigit() and name == str(int(name)) and int(name) >= first):
            raise ProtocolError("an epoch is a decimal number")
        key = b64decode(value)
        if len(key) != 32:
            raise ProtocolError("an epoch key is 32 bytes")
        keys[int(name)] = key
    return keys
