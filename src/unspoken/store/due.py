"""What comes due with time, for the sweeper: pauses that ran out, notebooks to erase.

Each step is idempotent (the rules decide again inside the transaction), so several processes
may run it at once.
"""

from datetime import datetime

from sqlalchemy import Connection, select

from unspoken.rules import NotebookState, RuleViolation, pauses
from unspoken.rules.membership import due_for_erasure
from unspoken.store.notebooks import erase
from unspoken.store.persist import load_state, persist
from unspoken.store.tables import members, notebooks
from unspoken.store.work import Committed


def paused_until_before(conn: Connection, now_ms: int) -> list[str]:
    """Notebooks whose pause has run out (the sweeper's only cross-notebook scan, indexed)."""
    query = select(notebooks.c.id).where(
        notebooks.c.pause_until.is_not(None), notebooks.c.pause_until <= now_ms
    )
    return [row.id for row in conn.execute(query)]


def with_goodbyes(conn: Connection) -> list[str]:
    """Notebooks someone has left; the sweeper asks the rules whether each is due."""
    query = select(members.c.notebook_id).where(members.c.left_at.is_not(None)).distinct()
    return [row.notebook_id for row in conn.execute(query)]


def expire_pause(conn: Connection, notebook_id: str, now: datetime) -> Committed[None]:
    before = _state(conn, notebook_id)
    outcome = pauses.expire(before, now) if before is not None else None
    if before is None or outcome is None:
        return Committed(None)
    persist(conn, before, outcome)
    return Committed(None, outcome.records)


def erase_if_due(conn: Connection, notebook_id: str, now: datetime) -> Committed[bool]:
    state = _state(conn, notebook_id)
    if state is None or not due_for_erasure(state, now):
        return Committed(False)
    erase(conn, notebook_id)
    return Committed(True)


def _state(conn: Connection, notebook_id: str) -> NotebookState | None:
    """The notebook's state, locked; None if it is gone meanwhile."""
    try:
        return load_state(conn, notebook_id)
    except RuleViolation:
        return None
