"""What every write does inside its transaction: lock and load the notebook's state, then
persist what a rule decided (the new state, its members, its records, its chapters).

A raised RuleViolation rolls back everything the write did.
"""

from datetime import datetime

from sqlalchemy import Connection, Update, bindparam, update

from unspoken.rules import NotebookState, Outcome, Refusal, RuleViolation
from unspoken.rules.epochs import require_current_epoch
from unspoken.store import chapter_rows, reads
from unspoken.store.base import NewDevice, NotebookView
from unspoken.store.prepared import Prepared
from unspoken.store.rows import member_values, record_values, state_values, to_ms
from unspoken.store.tables import devices, members, notebooks, records


def load_state(conn: Connection, notebook_id: str) -> NotebookState:
    """The notebook's state, its row locked: writes to one notebook queue here."""
    state = reads.state(conn, notebook_id, lock=True)
    if state is None:
        raise RuleViolation(Refusal.NOT_FOUND)
    return state


def load_view(conn: Connection, notebook_id: str) -> NotebookView:
    view = reads.view(conn, notebook_id)
    if view is None:
        raise RuleViolation(Refusal.NOT_FOUND)
    return view


# Compiled once and run on the driver (store/prepared.py); a record with `extra` (JSON) and
# a batch of records go through Core, which converts JSON per dialect.
_UPDATE_NOTEBOOK = Prepared(
    update(notebooks).where(notebooks.c.id == bindparam("nb")),
    keys=[c.name for c in notebooks.c if c.name not in ("id", "created_at")],
)
_INSERT_RECORD = records.insert()
_INSERT_PLAIN_RECORD = Prepared(_INSERT_RECORD)


def persist(conn: Connection, before: NotebookState | None, outcome: Outcome) -> None:
    require_current_epoch(outcome)  # nothing is logged under a key a revoked device holds
    after, now = outcome.state, to_ms(outcome.records[0].at)
    if before is None:
        conn.execute(notebooks.insert().values(id=after.id, created_at=now, **state_values(after)))
    else:
        _UPDATE_NOTEBOOK.execute(conn, {"nb": after.id, **state_values(after)})
    _persist_members(conn, before, after, now)
    rows = [record_values(after.id, r) for r in outcome.records]
    if len(rows) == 1 and rows[0]["extra"] is None:
        _INSERT_PLAIN_RECORD.execute(conn, rows[0])
    else:
        conn.execute(_INSERT_RECORD, rows[0] if len(rows) == 1 else rows)
    chapter_rows.follow(conn, after.id, outcome.records)


def _persist_members(
    conn: Connection, before: NotebookState | None, after: NotebookState, now: int
) -> None:
    old = {m.id: m for m in before.members} if before else {}
    for member in after.members:
        if member.id not in old:
            row = {"role": member.role, "state": member.state, "joined_at": now}
            conn.execute(members.insert().values(notebook_id=after.id, id=member.id, **row))
        elif old[member.id] != member:
            conn.execute(member_row(after.id, member.id).values(**member_values(member)))
    for gone in old.keys() - {m.id for m in after.members}:
        conn.execute(member_row(after.id, gone).values(state="declined"))


def member_row(notebook_id: str, member_id: str) -> Update:
    return update(members).where(members.c.notebook_id == notebook_id, members.c.id == member_id)


def add_device(
    conn: Connection, notebook_id: str, member_id: str, device: NewDevice, now: datetime
) -> None:
    if reads.device_exists(conn, notebook_id, device.id):
        raise RuleViolation(Refusal.DEVICE_IN_USE)
    conn.execute(
        devices.insert().values(
            notebook_id=notebook_id,
            id=device.id,
            member_id=member_id,
            public_key=device.public_key,
            token_hash=device.token_hash,
            created_at=to_ms(now),
            exchange_key=device.exchange_key,
            exchange_sig=device.exchange_sig,
        )
    )
