"""Crossing out a line: the write, in dialect-neutral SQLAlchemy Core. The line itself is never
touched; the crossing-out is a record of its own, and a line is crossed out when one names it."""

from collections.abc import Callable

from sqlalchemy import Connection, select

from unspoken.protocol.records import ENTRY, ENTRY_CROSSED
from unspoken.rules import NotebookState, Outcome
from unspoken.rules.crossings import Written
from unspoken.store.base import NotebookView
from unspoken.store.persist import load_state, load_view, persist
from unspoken.store.tables import records
from unspoken.store.work import Committed

CrossRule = Callable[[NotebookState, Written | None], Outcome]


def written(conn: Connection, notebook_id: str, entry_id: str) -> Written | None:
    """The line `entry_id` of the notebook, as crossing it out needs it; None if there is none."""
    query = select(records.c.member, records.c.chapter).where(
        records.c.notebook_id == notebook_id,
        records.c.entry_id == entry_id,
        records.c.kind == ENTRY,
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    crossings = select(records.c.extra).where(
        records.c.notebook_id == notebook_id, records.c.kind == ENTRY_CROSSED
    )
    crossed = any((r.extra or {}).get("entry") == entry_id for r in conn.execute(crossings))
    return Written(entry_id, row.member, row.chapter, crossed)


def cross_out(
    conn: Connection, notebook_id: str, entry_id: str, rule: CrossRule
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rule(before, written(conn, notebook_id, entry_id))
    persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)
