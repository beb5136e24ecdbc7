"""What a store is to the application: its protocol, and the values its reads answer with."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import Connection

from unspoken.rules import Member, NotebookState, Record, Sealed
from unspoken.store.work import Committed, Work

if TYPE_CHECKING:
    from unspoken.store.tokens import TokenCache

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
    greeting: bytes | None = None


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


class Store(Protocol):
    """What the application needs from a store: a write transaction that runs one unit of
    work, a read snapshot that runs a function, and the cache of who each token speaks for."""

    tokens: "TokenCache"

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def write(self, work: Work[T]) -> Committed[T]:
        """Run `work` in one write transaction; answer once it is durable."""
        ...

    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in one read snapshot."""
        ...
