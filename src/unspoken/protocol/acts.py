"""Signed acts (protocol v2): what a partner did, signed by the device that did it.

In v1 passing the pen, a pause, a promise's mark or a goodbye were records the server wrote and
the partner's device believed. In v2 each is an `Act` the acting device signs over its
notebook, kind, member and device, what it acts on, its outcome, the sealed item it carries and
the log as that device last saw it (`Seen`); the partner's device verifies it before showing or
obeying it. docs/protocol.md, "Protocol v2 — signed acts".
"""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from unspoken.protocol import chain
from unspoken.protocol.encoding import b64decode, b64encode, is_id, lp
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import DeviceKey

DOMAIN = "unspoken/v2/act"
LOG_DOMAIN = "unspoken/v2/log"
RECORD_DOMAIN = "unspoken/v2/record"
_SAFE_INTEGER = 2**53 - 1
MIN_PAUSE_MINUTES, MAX_PAUSE_MINUTES = 20, 24 * 60


@dataclass(frozen=True)
class Shape:
    """What an act of one kind names: its subject, its outcome and the item it carries."""

    subject: str  # "chapter", "promise", "agreement", "entry", "device", "epoch" or ""
    # the outcomes allowed, or "member", "minutes" ("<minutes>@<unix ms asked>"), "epoch", ""
    outcomes: frozenset[str] | str
    item: str  # "required", "optional" or "" (none)


_MODES = frozenset({"turns", "open"})
SHAPES: dict[str, Shape] = {
    "pen.passed": Shape("chapter", "member", ""),
    "pen.asked": Shape("chapter", "", ""),
    "mode.changed": Shape("chapter", _MODES, ""),
    "pause.started": Shape("", "minutes", "optional"),
    "pause.renewed": Shape("", "minutes", "optional"),
    "pause.here": Shape("", "", "optional"),
    "pause.ended": Shape("", frozenset({"ready"}), ""),
    "promise.made": Shape("promise", "member", "required"),
    "promise.acknowledged": Shape("promise", "", ""),
    "promise.withdrawn": Shape("promise", "", ""),
    "promise.marked": Shape("promise", frozenset({"kept", "broken", "released"}), "optional"),
    "agreement.proposed": Shape("agreement", "", "required"),
    "agreement.signed": Shape("agreement", "", ""),
    "agreement.declined": Shape("agreement", "", "optional"),
    "agreement.revised": Shape("agreement", "", "required"),
    "chapter.closed": Shape("chapter", "", ""),
    "chapter.opened": Shape("chapter", _MODES, "required"),
    "mirror.answered": Shape("chapter", frozenset({"got-it", "more"}), ""),
    "member.left": Shape("", "", ""),
    "device.revoked": Shape("device", "epoch", ""),
    "entry.crossed": Shape("entry", "", ""),
}
ACT_KINDS = frozenset(SHAPES)
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,8}")
# A pause's length and when its asking device asked, on that device's clock (unix ms).
_ASKED = re.compile(r"(0|[1-9][0-9]{0,8})@(0|[1-9][0-9]{0,15})")


@dataclass(frozen=True)
class Seen:
    """The log as the acting device last saw it: the highest record number it had applied, and
    the digest of every signed record up to and including it (`LogDigest`)."""

    seq: int
    digest: bytes

    def check(self) -> None:
        if isinstance(self.seq, bool) or not isinstance(self.seq, int) or self.seq < 0:
            raise ProtocolError("an act's seen position is a whole number")
        if not isinstance(self.digest, bytes) or len(self.digest) != 32:
            raise ProtocolError("an act's seen digest is 32 bytes")


@dataclass(frozen=True)
class Act:
    notebook_id: str
    kind: str
    member_id: str
    device_id: str
    subject: str
    outcome: str
    item: str
    seen: Seen

    def message(self) -> bytes:
        """The exact bytes the acting device signs (after `check`)."""
        self.check()
        return lp(
            DOMAIN,
            self.notebook_id,
            self.kind,
            self.member_id,
            self.device_id,
            self.subject,
            self.outcome,
            self.item,
            str(self.seen.seq),
            self.seen.digest,
        )

    def check(self) -> None:
        """Refuse an act that is not well formed for its kind, before signing or verifying."""
        shape = SHAPES.get(self.kind)
        if shape is None:
            raise ProtocolError(f"{self.kind!r} is not a kind of act")
        for name in ("notebook_id", "member_id", "device_id"):
            if not is_id(getattr(self, name)):
                raise ProtocolError(f"an act's {name.removesuffix('_id')} is an id")
        _check_subject(shape.subject, self.subject)
        _check_outcome(shape.outcomes, self.outcome)
        _check_item(shape.item, self.item)
        self.seen.check()


def _check_subject(subject: str, value: str) -> None:
    if subject == "":
        ok = value == ""
    elif subject in ("chapter", "epoch"):
        ok = isinstance(value, str) and bool(_DECIMAL.fullmatch(value)) and value != "0"
    else:
        ok = is_id(value)
    if not ok:
        raise ProtocolError(f"this act names a {subject or 'no subject'}")


def _check_outcome(outcomes: frozenset[str] | str, value: str) -> None:
    if isinstance(outcomes, frozenset):
        ok = value in outcomes
    elif outcomes == "member":
        ok = is_id(value)
    elif outcomes == "minutes":
        asked = _ASKED.fullmatch(value) if isinstance(value, str) else None
        minutes, at = (int(asked[1]), int(asked[2])) if asked else (0, 0)
        ok = MIN_PAUSE_MINUTES <= minutes <= MAX_PAUSE_MINUTES and at <= _SAFE_INTEGER
    elif outcomes == "epoch":
        ok = isinstance(value, str) and bool(_DECIMAL.fullmatch(value))
    else:
        ok = value == ""
    if not ok:
        raise ProtocolError("this act's outcome is not one its kind allows")


def _check_item(item: str, value: str) -> None:
    if item == "required":
        ok = is_id(value)
    elif item == "optional":
        ok = value == "" or is_id(value)
    else:
        ok = value == ""
    if not ok:
        raise ProtocolError("this act's item is not one its kind carries")


def sign_act(device: DeviceKey, act: Act) -> bytes:
    if act.device_id != device.id:
        raise ProtocolError("a device signs only its own acts")
    return device.sign(act.message())


def verify_act(public_key: bytes, act: Act, sig: bytes) -> None:
    """Raise ProtocolError unless `sig` is the acting device's signature of exactly `act`."""
    if not chain.verify_raw(public_key, act.message(), sig):
        raise ProtocolError("the act's signature does not match its device's key")


def act_hash(act: Act, sig: bytes) -> bytes:
    """An act's link in the log digest."""
    return hashlib.sha256(lp(act.message(), sig)).digest()


class LogDigest:
    """The running digest of a notebook's whole log, every record bound in its order.

    D₀ is 32 zero bytes; the record at `seq` with hash `h` makes
    D = SHA-256(lp(LOG_DOMAIN, D, seq, h)), where `h` is the entry hash for an entry,
    `act_hash` for an act its device signed, and `record_hash` for a record no device signed
    (the server's own, or v1's). A device keeps the digest at every position it has applied, so
    that an act's `Seen` can be checked against its own history: a different digest at the
    same position means the server showed the two partners different logs, unsigned records
    included."""

    def __init__(self) -> None:
        self.seq = 0
        self.digest = chain.GENESIS
        self._at: dict[int, bytes] = {0: chain.GENESIS}

    def add(self, seq: int, record_hash: bytes) -> None:
        """Apply the record at `seq`, whose hash is `record_hash`."""
        if seq <= self.seq:
            raise ProtocolError("the log went backwards")
        self.digest = hashlib.sha256(lp(LOG_DOMAIN, self.digest, str(seq), record_hash)).digest()
        self.seq = seq
        self._at[seq] = self.digest

    def seen(self) -> Seen:
        return Seen(self.seq, self.digest)

    def agrees(self, seen: Seen) -> bool:
        """True when this device's digest at `seen.seq` is `seen.digest`. A position it has not
        applied (or skipped) counts as disagreement: records come in order, gaps filled."""
        return self._at.get(seen.seq) == seen.digest


def _canonical(value: object) -> object:
    """`value` checked to hold only what JSON says the same way in Python and JavaScript."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) > _SAFE_INTEGER:
            raise ProtocolError("a record holds a value with no canonical form")
        return value
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return {key: _canonical(value[key]) for key in keys}
    raise ProtocolError("a record holds a value with no canonical form")


def canonical_json(record: Mapping[str, Any]) -> bytes:
    """A record as canonical JSON (docs/protocol.md, "The log digest"): keys sorted by UTF-16
    code units at every depth, no space, strings as JSON.stringify writes them (only `"`,
    `\\` and control characters escaped), numbers only whole and safe (|n| < 2⁵³), UTF-8."""
    text = json.dumps(_canonical(record), separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ProtocolError("a record holds a value with no canonical form") from exc


def record_hash(record: Mapping[str, Any]) -> bytes:
    """The link in the log digest of a record no device signed: its every field (seq, kind,
    time, member and content), as canonical JSON."""
    return hashlib.sha256(lp(RECORD_DOMAIN, canonical_json(record))).digest()


# What a record of the log says an act was: (subject, outcome, item), read from the record's
# own fields, the same on the server (which checks the acting device's signature over it) and
# on the partner's device (which checks it again before showing it).
Fields = tuple[str, str, str]


def _text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ProtocolError("an act's field is a number or an id")
    return str(value)


def _item_id(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, Mapping):
        raise ProtocolError("an act's item is a sealed item")
    return _text(value.get("id"))


# Where each act's (subject, outcome, item) sits in its record: the names of the record's
# fields, None for the empty string. The item is a sealed item; its id is what is signed. A
# pause's outcome is its `minutes` and its `asked` (unix ms, the asking device's clock), as
# "<minutes>@<asked>".
_WHERE: dict[str, tuple[str | None, str | None, str | None]] = {
    "pen.passed": ("chapter", "to", None),
    "pen.asked": ("chapter", None, None),
    "mode.changed": ("chapter", "mode", None),
    "pause.started": (None, "minutes", "note"),
    "pause.renewed": (None, "minutes", "note"),
    "pause.here": (None, None, "note"),
    "pause.ended": (None, "reason", None),
    "promise.made": ("promise", "to", "text"),
    "promise.acknowledged": ("promise", None, None),
    "promise.withdrawn": ("promise", None, None),
    "promise.marked": ("promise", "outcome", "note"),
    "agreement.proposed": ("agreement", None, "text"),
    "agreement.signed": ("agreement", None, None),
    "agreement.declined": ("agreement", None, "note"),
    "agreement.revised": ("agreement", None, "text"),
    "chapter.closed": ("chapter", None, None),
    "chapter.opened": ("chapter", "mode", "meta"),
    "mirror.answered": ("chapter", "answer", None),
    "member.left": (None, None, None),
    "entry.crossed": ("entry", None, None),
}


def act_fields(kind: str, extra: Mapping[str, Any]) -> Fields | None:
    """The (subject, outcome, item) that a record of `kind` with `extra` says its member did, or
    None when no partner acted (a pause that ran out or ended with a goodbye is the clock's; a
    device's revocation is signed by its own v2 signature; joins and keys are not acts)."""
    where = _WHERE.get(kind)
    if where is None or (kind == "pause.ended" and extra.get("reason") != "ready"):
        return None
    subject, outcome, item = where
    said = "" if outcome is None else _text(extra.get(outcome))
    if outcome == "minutes":
        said += "@" + _text(extra.get("asked"))
    return (
        "" if subject is None else _text(extra.get(subject)),
        said,
        "" if item is None else _item_id(extra.get(item)),
    )


def act_of_record(notebook_id: str, record: Mapping[str, Any]) -> tuple[Act, bytes] | None:
    """The act a record carries and its signature, as the partner's device checks it; None when
    the record carries none. Raises ProtocolError for one that is malformed."""
    fields = act_fields(str(record.get("kind")), record)
    signed = record.get("act")
    if fields is None or signed is None:
        return None
    try:
        seen = Seen(signed["seen"], b64decode(signed["digest"]))
        device, sig = str(signed["device"]), b64decode(signed["sig"])
    except (KeyError, TypeError, ValueError, ProtocolError) as exc:
        raise ProtocolError("a malformed signed act") from exc
    act = Act(notebook_id, str(record["kind"]), str(record["member"]), device, *fields, seen)
    act.check()
    return act, sig


@dataclass(frozen=True)
class Claim:
    """What a device sends with a request that acts (the `Unspoken-Act` header): where it was
    in the log, and its signature over each act the request makes, in the order the log will
    hold them. Wire form: `<seen seq>.<seen digest>.<sig>[.<sig>]`, base64url without padding."""

    seen: Seen
    sigs: tuple[bytes, ...]

    def header(self) -> str:
        parts = [str(self.seen.seq), b64encode(self.seen.digest)]
        return ".".join(parts + [b64encode(sig) for sig in self.sigs])

    @classmethod
    def parse(cls, header: str) -> "Claim":
        parts = header.strip().split(".")
        if not 3 <= len(parts) <= 4 or not _DECIMAL.fullmatch(parts[0]):
            raise ProtocolError("an act header is <seen seq>.<seen digest>.<signature>")
        seen = Seen(int(parts[0]), b64decode(parts[1]))
        seen.check()
        sigs = tuple(b64decode(part) for part in parts[2:])
        if any(len(sig) != 64 for sig in sigs):
            raise ProtocolError("an act's signature is 64 bytes")
        return cls(seen, sigs)


def claim(
    device: DeviceKey,
    notebook_id: str,
    member_id: str,
    seen: Seen,
    acts: Sequence[tuple[str, Fields]],
) -> Claim:
    """Sign each (kind, (subject, outcome, item)) a request makes, as `member_id` on `device`."""
    sigs = tuple(
        sign_act(device, Act(notebook_id, kind, member_id, device.id, *fields, seen))
        for kind, fields in acts
    )
    return Claim(seen, sigs)
