"""Turning rows into the rules' dataclasses and back."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias, cast

from sqlalchemy import Row

from unspoken.rules import Entry, Member, Mirror, NotebookState, Pause, Record, Sealed
from unspoken.rules.state import ChapterState, MemberState, Mode, Role

# A Core Row or a Prepared statement's row (store/prepared.py): columns as attributes.
AnyRow: TypeAlias = Row[*tuple[Any, ...]] | Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def to_ms(at: datetime) -> int:
    """Exact integer milliseconds (no float rounding) of an aware UTC time."""
    return (at - _EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    return _EPOCH + ms * _MS


def _maybe_ms(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)


def member_from_row(row: AnyRow) -> Member:
    left_at, knocked_at = _maybe_ms(row.left_at), _maybe_ms(row.knocked_at)
    return Member(row.id, cast(Role, row.role), cast(MemberState, row.state), left_at, knocked_at)


def member_values(member: Member) -> dict[str, Any]:
    """The columns a rule may change on a member."""
    return {
        "role": member.role,
        "state": member.state,
        "left_at": None if member.left_at is None else to_ms(member.left_at),
        "knocked_at": None if member.knocked_at is None else to_ms(member.knocked_at),
    }


def _pause(notebook: AnyRow) -> Pause | None:
    if notebook.pause_by is None:
        return None
    since, until = from_ms(notebook.pause_since), from_ms(notebook.pause_until)
    return Pause(notebook.pause_by, since, until, bool(notebook.pause_here))


def _mirror(notebook: AnyRow) -> Mirror | None:
    if not notebook.mirror_on:
        return None
    return Mirror(notebook.mirror_owed, notebook.mirror_awaiting)


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
        chapter_state=cast(ChapterState, notebook.chapter_state),
        mirror=_mirror(notebook),
        pause=_pause(notebook),
        epoch=notebook.epoch,
        rekey_due=bool(notebook.rekey_due),
    )


def state_values(state: NotebookState) -> dict[str, Any]:
    return {
        "sealed": state.sealed,
        "mode": state.mode,
        "pen": state.pen,
        "chapter": state.chapter,
        "head_seq": state.head_seq,
        "head_hash": state.head_hash,
        "chapter_state": state.chapter_state,
        "epoch": state.epoch,
        "rekey_due": state.rekey_due,
        **_mirror_values(state.mirror),
        **_pause_values(state.pause),
    }


def _mirror_values(mirror: Mirror | None) -> dict[str, Any]:
    if mirror is None:
        return {"mirror_on": False, "mirror_owed": None, "mirror_awaiting": None}
    return {"mirror_on": True, "mirror_owed": mirror.owed_by, "mirror_awaiting": mirror.awaiting}


def _pause_values(pause: Pause | None) -> dict[str, Any]:
    if pause is None:
        return {"pause_by": None, "pause_since": None, "pause_until": None, "pause_here": False}
    return {
        "pause_by": pause.by,
        "pause_since": to_ms(pause.since),
        "pause_until": to_ms(pause.until),
        "pause_here": pause.here,
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


def sealed_from_row(row: AnyRow, prefix: str, item_id: str | None) -> Sealed | None:
    """An item box kept in a row's `<prefix>_device`, `_ct` and `_sig` columns, if any."""
    device = getattr(row, f"{prefix}_device")
    if device is None or item_id is None:
        return None
    ct, sig = getattr(row, f"{prefix}_ct"), getattr(row, f"{prefix}_sig")
    return Sealed(item_id, device, bytes(ct), bytes(sig))
