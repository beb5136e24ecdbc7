"""What the SDK hands back: verified, decrypted entries and live events."""

from dataclasses import dataclass, field
from typing import Any

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
    """One verified entry of the notebook."""

    seq: int
    id: str
    chapter: int
    member: str
    author: str
    text: str
    written_at: str
    hash: bytes


@dataclass(frozen=True)
class Event:
    """One record from the live stream; `entry` is set, verified and opened, for entries."""

    seq: int
    kind: str
    record: dict[str, Any]
    entry: Entry | None = None
