"""Goodbye: leaving a notebook, and when the server erases it."""

from dataclasses import replace
from datetime import datetime, timedelta

from unspoken.protocol.records import MEMBER_LEFT
from unspoken.rules.guards import require_member, require_reader
from unspoken.rules.outcome import Outcome, iso, log, then
from unspoken.rules.pauses import end_for_goodbye
from unspoken.rules.state import NotebookState

ERASE_AFTER = timedelta(days=30)


def erase_at(state: NotebookState) -> datetime | None:
    """Thirty days after the first goodbye; None while nobody has left."""
    times = [m.left_at for m in state.members if m.left_at is not None]
    return min(times) + ERASE_AFTER if times else None


def due_for_erasure(state: NotebookState, now: datetime) -> bool:
    """Everyone active has left, or the thirty days after one left are over."""
    if not state.left():
        return False
    staying = [m for m in state.active() if m.left_at is None]
    due = erase_at(state)
    return not staying or (due is not None and now >= due)


def leave(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """Either partner may leave; the other keeps read access until the notebook is erased.
    A pause still on ends first (`pause.ended`, reason `left`)."""
    member = require_reader(require_member(state, actor))
    ended = end_for_goodbye(state, now)
    gone = ended.state.with_member(replace(member, left_at=now))
    due = erase_at(gone)
    left = log(gone, now, MEMBER_LEFT, actor, extra={"erase_at": iso(due) if due else None})
    return then(ended, left)
