"""A unit of work: the one thing a store's write runs.

A write is a value, not a bag of keywords: which notebook it writes (the store orders that
notebook's writes by it), what runs inside the transaction, and which cached tokens it may
make wrong. The application layer builds them (server/writes.py); a store only runs them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from sqlalchemy import Connection

from unspoken.rules import Record

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Committed(Generic[T]):
    """A write's answer plus the records it committed, to publish afterwards; `notebook` is
    the notebook they belong to when the work did not know it up front (a claim)."""

    value: T
    records: tuple[Record, ...] = field(default=())
    notebook: str | None = None


class Forget(Enum):
    """Which device tokens a write may change the meaning of (store/tokens.py)."""

    NOTEBOOK = "notebook"  # its notebook's: a member or a device may have changed
    NOTHING = "nothing"  # a plain append changes no member and no device
    EVERYTHING = "everything"  # a claim: its notebook is found only inside the transaction


@dataclass(frozen=True, slots=True)
class Work(Generic[T]):
    """One write transaction. `notebook` is None only for a claim, which is ordered by the
    invite or link it names (`order`) instead."""

    notebook: str | None
    run: Callable[[Connection], Committed[T]]
    forgets: Forget = Forget.NOTEBOOK
    order: str = ""

    @property
    def key(self) -> str:
        """What a store orders writes by: the notebook, else what the claim names."""
        return self.notebook or self.order
