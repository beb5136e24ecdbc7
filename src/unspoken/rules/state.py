"""The state the rules decide on, and the records a decision leaves in the log."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from unspoken.protocol.encoding import b64encode as b64

Role = Literal["creator", "partner"]
MemberState = Literal["pending", "active"]
Mode = Literal["turns", "open"]
ChapterState = Literal["open", "closed"]


@dataclass(frozen=True)
class Member:
    id: str
    role: Role
    state: MemberState
    left_at: datetime | None = None
    knocked_at: datetime | None = None  # when this member last asked for the pen

    @property
    def present(self) -> bool:
        """Active and not gone: the only members who may change anything."""
        return self.state == "active" and self.left_at is None


@dataclass(frozen=True)
class Pause:
    """Time and space one partner asked for; `here` once the other said "I'll be here"."""

    by: str
    since: datetime
    until: datetime
    here: bool = False


@dataclass(frozen=True)
class Mirror:
    """Mirror-before-reply in the open chapter: who owes a restatement, who must confirm one."""

    owed_by: str | None = None
    awaiting: str | None = None


@dataclass(frozen=True)
class Entry:
    """An entry as the server sees it: ciphertext plus what binds it to its place."""

    id: str
    chapter: int
    device: str
    prev: bytes
    hash: bytes
    ct: bytes
    sig: bytes
    mirror: bool = False  # a restatement in a mirror-before-reply chapter


@dataclass(frozen=True)
class Record:
    """One line of the notebook's log; `extra` holds kind-specific members (e.g. `to`)."""

    seq: int
    kind: str
    at: datetime
    member: str
    entry: Entry | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NotebookState:
    id: str
    sealed: bool
    mode: Mode
    pen: str | None
    chapter: int
    head_seq: int
    head_hash: bytes
    members: tuple[Member, ...]
    chapter_state: ChapterState = "open"
    mirror: Mirror | None = None  # None: the open chapter has no mirror-before-reply
    pause: Pause | None = None
    epoch: int = 0  # the key epoch every new box must be sealed in
    rekey_due: bool = False  # a declined joiner saw the key: a new epoch before a new invite

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    def active(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.state == "active")

    def partner_of(self, member_id: str) -> Member | None:
        return next((m for m in self.active() if m.id != member_id), None)

    def left(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.left_at is not None)

    def pending(self) -> Member | None:
        return next((m for m in self.members if m.state == "pending"), None)

    def with_member(self, member: Member) -> "NotebookState":
        others = tuple(m for m in self.members if m.id != member.id)
        return replace(self, members=(*others, member))

    def without_member(self, member_id: str) -> "NotebookState":
        return replace(self, members=tuple(m for m in self.members if m.id != member_id))


@dataclass(frozen=True)
class Sealed:
    """A sealed, signed item box (protocol.md, aad kind `item`) as the server keeps it."""

    id: str
    device: str
    ct: bytes
    sig: bytes

    def wire(self) -> dict[str, str]:
        return {"id": self.id, "device": self.device, "ct": b64(self.ct), "sig": b64(self.sig)}
