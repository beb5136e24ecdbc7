"""The state the rules decide on, and the records a decision leaves in the log."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

Role = Literal["creator", "partner"]
MemberState = Literal["pending", "active"]
Mode = Literal["turns", "open"]


@dataclass(frozen=True)
class Member:
    id: str
    role: Role
    state: MemberState


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

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    def active(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.state == "active")

    def pending(self) -> Member | None:
        return next((m for m in self.members if m.state == "pending"), None)

    def with_member(self, member: Member) -> "NotebookState":
        others = tuple(m for m in self.members if m.id != member.id)
        return replace(self, members=(*others, member))

    def without_member(self, member_id: str) -> "NotebookState":
        return replace(self, members=tuple(m for m in self.members if m.id != member_id))
