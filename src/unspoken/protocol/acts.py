"""Signed acts (protocol v2): what a partner did, signed by the device that did it.

In v1 passing the pen, a pause, a promise's mark or a goodbye were records the server wrote and
the partner's device believed. In v2 each is an `Act` the acting device signs over its
notebook, kind, member and device, what it acts on, its outcome, the sealed item it carries and
the log as that device last saw it (`Seen`); the partner's device verifies it before showing or
obeying it. docs/protocol.md, "Protocol v2 — signed acts".
"""

import hashlib
import re
from dataclasses import dataclass

from unspoken.protocol import chain
from unspoken.protocol.encoding import is_id, lp
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import DeviceKey

DOMAIN = "unspoken/v2/act"
LOG_DOMAIN = "unspoken/v2/log"
MIN_PAUSE_MINUTES, MAX_PAUSE_MINUTES = 20, 24 * 60


@dataclass(frozen=True)
class Shape:
    """What an act of one kind names: its subject, its outcome and the item it carries."""

    subject: str  # "chapter", "promise", "agreement", "device", "epoch" or "" (nothing)
    outcomes: frozenset[str] | str  # the outcomes allowed, or "member", "minutes", "epoch", ""
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
    "chapter.closed": Shape("chapter", "", ""),
    "chapter.opened": Shape("chapter", _MODES, "required"),
    "mirror.answered": Shape("chapter", frozenset({"got-it", "more"}), ""),
    "member.left": Shape("", "", ""),
    "device.revoked": Shape("device", "epoch", ""),
}
ACT_KINDS = frozenset(SHAPES)
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,8}")


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
    elif outcomes in ("minutes", "epoch"):
        ok = isinstance(value, str) and bool(_DECIMAL.fullmatch(value))
        if ok and outcomes == "minutes":
            ok = MIN_PAUSE_MINUTES <= int(value) <= MAX_PAUSE_MINUTES
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
    """The running digest of a notebook's signed records (entries and acts) in log order.

    D₀ is 32 zero bytes; each signed record at `seq` with hash `h` (the entry hash, or
    `act_hash`) makes D = SHA-256(lp(LOG_DOMAIN, D, seq, h)). A device keeps the digest at
    every position it has applied, so that an act's `Seen` can be checked against its own
    history: a different digest at the same position means the server showed the two
    partners different logs."""

    def __init__(self) -> None:
        self.seq = 0
        self.digest = chain.GENESIS
        self._at: dict[int, bytes] = {0: chain.GENESIS}

    def add(self, seq: int, record_hash: bytes | None) -> None:
        """Apply the record at `seq` (None for a record no device signed)."""
        if seq <= self.seq:
            raise ProtocolError("the log went backwards")
        if record_hash is not None:
            self.digest = hashlib.sha256(
                lp(LOG_DOMAIN, self.digest, str(seq), record_hash)
            ).digest()
        self.seq = seq
        self._at[seq] = self.digest

    def seen(self) -> Seen:
        return Seen(self.seq, self.digest)

    def agrees(self, seen: Seen) -> bool:
        """True when this device's digest at `seen.seq` is `seen.digest`. A position it has not
        applied (or skipped) counts as disagreement: records come in order, gaps filled."""
        return self._at.get(seen.seq) == seen.digest
