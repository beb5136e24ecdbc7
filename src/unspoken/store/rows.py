"""Turning rows into the rules' dataclasses and back."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias, cast

from sqlalchemy import Row

from unspoken.rules import Entry, Member, NotebookState, Record
from unspoken.rules.state import MemberState, Mode, Role

AnyRow: TypeAlias = Row[*tuple[Any, ...]]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def to_ms(at: datetime) -> int:
    """Exact integer milliseconds (no float rounding) of an aware UTC time."""
    return (at - _EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    return _EPOCH + ms * _MS


def member_from_row(row: AnyRow) -> Member:
    return Member(row.id, cast(Role, row.role), cast(MemberState, row.state))


def state_from_rows(notebook: AnyRow, member_rows: Sequence[AnyRow]) -> NotebookState:
    return NotebookState(
        id=notebook.id,
        sealed=bool(notebook.sealed),
        mode=cast(Mode, notebook.mode),
        pen=notebook.pen,
        chapter=notebook.chapter,
        head_seq=notebook.head_seq,
        head_hash=bytes(notebook.head_hash),
        members=tuple(member_from_row(r) for r in member_rows if r.state != "declined"),
    )


def state_values(state: NotebookState) -> dict[str, Any]:
    return {
        "sealed": state.sealed,
        "mode": state.mode,
        "pen": state.pen,
        "chapter": state.chapter,
        "head_seq": state.head_seq,
        "head_hash": state.head_hash,
    }


def record_values(notebook_id: str, record: Record) -> dict[str, Any]:
    entry = record.entry
    return {
        "notebook_id": notebook_id,
        "seq": record.seq,
        "kind": record.kind,
        "at": to_ms(record.at),
        "member": record.member,
        "entry_id": entry.id if entry else None,
        "chapter": entry.chapter if entry else None,
        "device": entry.device if entry else None,
        "prev": entry.prev if entry else None,
        "hash": entry.hash if entry else None,
        "ct": entry.ct if entry else None,
        "sig": entry.sig if entry else None,
        "extra": dict(record.extra) or None,
    }


def record_from_row(row: AnyRow) -> Record:
    entry = None
    if row.entry_id is not None:
        entry = Entry(
            id=row.entry_id,
            chapter=row.chapter,
            device=row.device,
            prev=bytes(row.prev),
            hash=bytes(row.hash),
            ct=bytes(row.ct),
            sig=bytes(row.sig),
        )
    return Record(row.seq, row.kind, from_ms(row.at), row.member, entry, dict(row.extra or {}))
