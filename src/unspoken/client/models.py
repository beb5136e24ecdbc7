"""What the SDK hands back: verified, decrypted entries and live events."""

from dataclasses import dataclass, field
from typing import Any

# Strokes written by hand: each stroke a tuple of points (x, y, t, p), all integers — x and y
# in ink units (the pad is 1000 wide), t in milliseconds since the first point, p the pressure
# 0..255 (docs/protocol.md, "Ink").
Ink = tuple[tuple[tuple[int, int, int, int], ...], ...]

DEFAULT_HAND = {"font": "garamond", "ink": "#27324a"}


@dataclass(frozen=True)
class Member:
    id: str
    role: str
    state: str
    device_id: str
    device_key: bytes
    name: str | None = None
    hand: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """One verified entry of the notebook. An entry written by hand has its strokes in `ink`
    (as written: 4-tuples, the pressure an integer 0..255) and its typed transcript, or "", in
    `text`; a typed entry's `ink` is None."""

    seq: int
    id: str
    chapter: int
    member: str
    author: str
    text: str
    written_at: str
    hash: bytes
    mirror: bool = False  # a restatement, in a mirror-before-reply chapter
    crossed: bool = False  # crossed out by its writer: still here, struck through
    ink: Ink | None = None  # the strokes of an entry written by hand


@dataclass(frozen=True)
class Event:
    """One record from the live stream; `entry` is set, verified and opened, for entries.

    A draft frame (kind "draft") is not a record: its `seq` is 0 and `draft` holds it, opened.
    An act the author's device did not sign (in a notebook begun under protocol v2), or signed
    after seeing another history than this device's, never comes out: TamperError says why.
    """

    seq: int
    kind: str
    record: dict[str, Any]
    entry: Entry | None = None
    draft: "Draft | None" = None
    # For an act: True when its author's device signed it (checked before it came out of the
    # SDK), False for a protocol v1 record its author never signed; None for no act.
    signed: bool | None = None


@dataclass(frozen=True)
class Draft:
    """The partner's words as they form: the whole draft so far, never stored anywhere."""

    member: str
    author: str
    chapter: int
    draft: str  # the draft's id; frames of one draft share it
    n: int
    text: str
    ink: Ink | None = None  # every stroke so far, for a draft written by hand


@dataclass(frozen=True)
class Pause:
    by: str
    since: str
    until: str
    here: bool


@dataclass(frozen=True)
class Promise:
    """A promise, opened and verified; `history` is its records, oldest first."""

    id: str
    by: str
    to: str
    state: str
    text: str
    made_at: str
    updated_at: str
    history: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()  # the mark notes, opened, in order


@dataclass(frozen=True)
class Agreement:
    """One text signed by both; `agreed` only when both signatures verify on this device."""

    id: str
    proposer: str
    text: str
    state: str
    agreed: bool
    signers: tuple[str, ...]
    proposed_at: str
    agreed_at: str | None
    not_yet: bool = False  # the partner said "not yet" to these words
    not_yet_note: str | None = None  # with this note, opened and verified
    history: tuple[dict[str, Any], ...] = ()  # its acts, as this device checked them


@dataclass(frozen=True)
class Chapter:
    n: int
    state: str
    mode: str
    mirror: bool
    title: str | None
    template: str | None
    opened_at: str
    closed_at: str | None
