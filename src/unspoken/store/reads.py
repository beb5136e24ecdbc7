"""Read queries, shared by read connections and write transactions."""

from typing import cast

from sqlalchemy import Connection, bindparam, select

from unspoken.rules import Invite, NotebookState, Record
from unspoken.rules.invites import InviteState
from unspoken.store import chapter_rows
from unspoken.store.base import (
    DeviceAuth,
    DeviceView,
    MemberView,
    NotebookView,
    Profile,
    RecordPage,
)
from unspoken.store.prepared import Prepared
from unspoken.store.rows import AnyRow, from_ms, member_from_row, record_from_row, state_from_rows
from unspoken.store.tables import devices, invites, members, notebooks, records

# The statements every write runs, compiled once and run on the driver (store/prepared.py):
# none of their columns needs converting (no JSON), and Core's per-execution work was most
# of the single writer's time.
_NOTEBOOK = select(notebooks).where(notebooks.c.id == bindparam("nb"))
_NOTEBOOK_LOCKED = Prepared(_NOTEBOOK.with_for_update())
_MEMBERS = Prepared(
    select(members)
    .where(members.c.notebook_id == bindparam("nb"))
    .order_by(members.c.joined_at, members.c.id)
)
_ENTRY_ROW = Prepared(
    select(records.c.seq, records.c.hash, records.c.at, records.c.device).where(
        records.c.notebook_id == bindparam("nb"), records.c.entry_id == bindparam("entry")
    )
)


def _member_rows(conn: Connection, notebook_id: str) -> list[AnyRow]:
    return _MEMBERS.rows(conn, {"nb": notebook_id})


def state(conn: Connection, notebook_id: str, lock: bool = False) -> NotebookState | None:
    """The notebook's state; `lock` takes its row (FOR UPDATE on PostgreSQL, a no-op on
    SQLite, whose single writer already serializes), so writes to one notebook queue."""
    if lock:
        found = _NOTEBOOK_LOCKED.rows(conn, {"nb": notebook_id})
        notebook = found[0] if found else None
    else:
        notebook = conn.execute(_NOTEBOOK, {"nb": notebook_id}).first()
    if notebook is None:
        return None
    return state_from_rows(notebook, _member_rows(conn, notebook_id))


def view(conn: Connection, notebook_id: str) -> NotebookView | None:
    notebook = conn.execute(select(notebooks).where(notebooks.c.id == notebook_id)).first()
    if notebook is None:
        return None
    rows = _member_rows(conn, notebook_id)
    device_rows = conn.execute(
        select(devices)
        .where(devices.c.notebook_id == notebook_id, devices.c.state == "active")
        .order_by(devices.c.created_at)
    ).all()
    views = tuple(
        _member_view(row, [d for d in device_rows if d.member_id == row.id])
        for row in rows
        if row.state != "declined"
    )
    chapters = chapter_rows.views(conn, notebook_id)
    state_ = state_from_rows(notebook, rows)
    return NotebookView(state_, from_ms(notebook.created_at), views, chapters)


def _member_view(row: AnyRow, device_rows: list[AnyRow]) -> MemberView:
    profile = None
    if row.profile_ct is not None:
        profile = Profile(row.profile_device, bytes(row.profile_ct), bytes(row.profile_sig))
    return MemberView(
        member=member_from_row(row),
        joined_at=from_ms(row.joined_at),
        devices=tuple(device_view(d) for d in device_rows),
        profile=profile,
        key_mac=bytes(row.key_mac) if row.key_mac is not None else None,
    )


def _maybe(value: object) -> bytes | None:
    return None if value is None else bytes(value)  # type: ignore[call-overload]


def device_view(row: AnyRow) -> DeviceView:
    return DeviceView(
        row.id,
        bytes(row.public_key),
        _maybe(row.exchange_key),
        _maybe(row.exchange_sig),
        row.added_by,
        _maybe(row.cert),
    )


def device_for_token(conn: Connection, token_hash: bytes) -> DeviceAuth | None:
    query = (
        select(
            devices.c.notebook_id,
            devices.c.id.label("device_id"),
            devices.c.public_key,
            members.c.id,
            members.c.role,
            members.c.state,
            members.c.left_at,
            members.c.knocked_at,
            devices.c.state.label("device_state"),
        )
        .join(
            members,
            (members.c.notebook_id == devices.c.notebook_id)
            & (members.c.id == devices.c.member_id),
        )
        .where(devices.c.token_hash == token_hash)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    belongs = row.state != "declined" and row.left_at is None  # declined or gone: nothing
    member = member_from_row(row)
    return DeviceAuth(
        row.notebook_id, row.device_id, bytes(row.public_key), member, belongs, row.device_state
    )


def records_after(conn: Connection, notebook_id: str, after: int, limit: int) -> list[Record]:
    query = (
        select(records)
        .where(records.c.notebook_id == notebook_id, records.c.seq > after)
        .order_by(records.c.seq)
        .limit(limit)
    )
    return [record_from_row(row) for row in conn.execute(query)]


def page(conn: Connection, notebook_id: str, after: int, limit: int) -> RecordPage:
    head = select(notebooks.c.head_seq).where(notebooks.c.id == notebook_id)
    head_seq = conn.execute(head).scalar_one_or_none() or 0
    return RecordPage(tuple(records_after(conn, notebook_id, after, limit)), head_seq)


def invite(conn: Connection, invite_id: str) -> Invite | None:
    row = conn.execute(select(invites).where(invites.c.id == invite_id)).first()
    if row is None:
        return None
    return Invite(
        row.id,
        row.notebook_id,
        bytes(row.claim_hash),
        from_ms(row.expires_at),
        cast(InviteState, row.state),
    )


def invite_and_greeting(conn: Connection, invite_id: str) -> tuple[Invite, bytes | None] | None:
    """An invite and its sealed greeting (the inviter's name, which only the link opens)."""
    found = invite(conn, invite_id)
    if found is None:
        return None
    greeting = conn.execute(select(invites.c.greeting).where(invites.c.id == invite_id)).scalar()
    return found, None if greeting is None else bytes(greeting)


def invite_bundle(conn: Connection, invite_id: str) -> bytes:
    return bytes(
        conn.execute(select(invites.c.bundle).where(invites.c.id == invite_id)).scalar_one()
    )


def entry_row(conn: Connection, notebook_id: str, entry_id: str) -> AnyRow | None:
    found = _ENTRY_ROW.rows(conn, {"nb": notebook_id, "entry": entry_id})
    return found[0] if found else None


def device_exists(conn: Connection, notebook_id: str, device_id: str) -> bool:
    query = select(devices.c.id).where(
        devices.c.notebook_id == notebook_id, devices.c.id == device_id
    )
    return conn.execute(query).first() is not None
