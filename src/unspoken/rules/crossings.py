"""Crossing out: a writer strikes through a line of their own. The line stays in the log, for
both partners; the crossing-out is one more signed act after it (docs/protocol.md)."""

from dataclasses import dataclass
from datetime import datetime

from unspoken.protocol.records import ENTRY_CROSSED
from unspoken.rules.guards import require_present
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import NotebookState


@dataclass(frozen=True)
class Written:
    """A line of the log as crossing it out needs it: who wrote it, in which chapter, and
    whether it is crossed out already."""

    id: str
    member: str
    chapter: int
    crossed: bool = False


def cross_out(state: NotebookState, written: Written | None, actor: str, now: datetime) -> Outcome:
    """Only the line's own writer, while both are still here, and only once. Neither the pen
    nor a pause holds it back: it adds no words, and may be what a pause was asked for."""
    require_present(state, actor)
    if written is None:
        raise RuleViolation(Refusal.NO_ENTRY)
    if written.member != actor:
        raise RuleViolation(Refusal.NOT_YOUR_ENTRY)
    if written.crossed:
        raise RuleViolation(Refusal.ALREADY_CROSSED)
    extra = {"entry": written.id, "chapter": written.chapter}
    return log(state, now, ENTRY_CROSSED, actor, extra=extra)
