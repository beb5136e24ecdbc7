"""What the API needs from a store; SQLite today, PostgreSQL later."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar, runtime_checkable

from sqlalchemy import Connection

from unspoken.rules import Entry, Member, NotebookState, Record, Sealed

T = TypeVar("T")


@dataclass(frozen=True)
class NewDevice:
    """A device joining a notebook; only the SHA-256 of its token is ever stored."""

    id: str
    public_key: bytes
    token_hash: bytes
    exchange_key: bytes | None = None  # X25519, signed by the device (exchange_sig)
    exchange_sig: bytes | None = None


@dataclass(frozen=True)
class Profile:
    device: str
    ct: bytes
    sig: bytes


@dataclass(frozen=True)
class NewInvite:
    id: str
    claim_hash: bytes
    bundle: bytes
    expires_at: datetime


@dataclass(frozen=True)
class DeviceAuth:
    """Who a bearer token speaks for."""

    notebook_id: str
    device_id: str
    public_key: bytes
    member: Member
    belongs: bool = True  # False once the member was declined: the token now opens nothing
    device_state: str = "active"  # "pending" until its other device lets it in; "revoked"


@dataclass(frozen=True)
class DeviceView:
    id: str
    key: bytes
    exchange_key: bytes | None = None
    exchange_sig: bytes | None = None
    added_by: str | None = None  # the device that certified it; None for a member's first
    cert: bytes | None = None


@dataclass(frozen=True)
class LinkView:
    """A device link as its member's devices (and the device that claimed it) see it."""

    id: str
    notebook_id: str
    member: str
    state: str
    expires_at: datetime
    device: DeviceView | None
    key_mac: bytes | None
    package: bytes | None


@dataclass(frozen=True)
class MemberView:
    member: Member
    joined_at: datetime
    devices: tuple[DeviceView, ...]
    profile: Profile | None
    key_mac: bytes | None


@dataclass(frozen=True)
class ChapterView:
    n: int
    state: str
    mode: str
    mirror: bool
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None
    meta: Sealed | None  # the encrypted title, template and mirror choice; None for chapter 1


@dataclass(frozen=True)
class NotebookView:
    state: NotebookState
    created_at: datetime
    members: tuple[MemberView, ...]
    chapters: tuple[ChapterView, ...] = ()


@dataclass(frozen=True)
class Appended:
    """The answer to an append; `replayed` marks a retry answered from the log."""

    seq: int
    hash: bytes
    at: datetime
    replayed: bool = False


@dataclass(frozen=True)
class Claimed:
    notebook_id: str
    bundle: bytes


@dataclass(frozen=True)
class RecordPage:
    records: tuple[Record, ...]
    head_seq: int


@dataclass(frozen=True)
class Committed(Generic[T]):
    """A write's answer plus the records it committed, to publish afterwards."""

    value: T
    records: tuple[Record, ...] = field(default=())


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def create_notebook(
        self, notebook_id: str, member_id: str, device: NewDevice, profile: Profile, now: datetime
    ) -> Committed[None]: ...

    async def open_invite(
        self, notebook_id: str, actor: str, invite: NewInvite, now: datetime
    ) -> Committed[None]: ...

    async def revoke_invite(
        self, notebook_id: str, actor: str, invite_id: str
    ) -> Committed[None]: ...

    async def claim_invite(
        self,
        invite_id: str,
        claim: bytes,
        member_id: str,
        device: NewDevice,
        key_mac: bytes,
        now: datetime,
    ) -> Committed[Claimed]: ...

    async def set_profile(
        self, notebook_id: str, actor: str, profile: Profile, now: datetime
    ) -> Committed[None]: ...

    async def approve(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]: ...

    async def decline(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]: ...

    async def append_entry(
        self, notebook_id: str, actor: str, entry: Entry, now: datetime
    ) -> Committed[Appended]: ...

    async def pass_pen(
        self, notebook_id: str, actor: str, now: datetime
    ) -> Committed[NotebookView]: ...

    async def device_for_token(self, token_hash: bytes) -> DeviceAuth | None: ...

    async def notebook(self, notebook_id: str) -> NotebookView | None: ...

    async def records(self, notebook_id: str, after: int, limit: int) -> list[Record]: ...

    async def page(self, notebook_id: str, after: int, limit: int) -> RecordPage:
        """Records after `after` and the head, from one snapshot."""
        ...


@runtime_checkable
class Transactor(Protocol):
    """Run a function of a Connection in one write transaction, or one read snapshot.

    The notebook's rules (store/rule_ops.py) are written against this, so a store offers them
    all by providing these two methods.
    """

    async def write(self, fn: Callable[[Connection], T]) -> T: ...

    async def read(self, fn: Callable[[Connection], T]) -> T: ...
