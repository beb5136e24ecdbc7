"""Promises: made to the partner, acknowledged, then marked kept, broken or released."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from unspoken.protocol.records import (
    PROMISE_ACKNOWLEDGED,
    PROMISE_MADE,
    PROMISE_MARKED,
    PROMISE_WITHDRAWN,
)
from unspoken.rules.errors import RuleViolation
from unspoken.rules.guards import require_partner, require_present, require_voice
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.state import NotebookState, Sealed

PromiseState = Literal["made", "acknowledged", "kept", "broken", "released", "withdrawn"]
Mark = Literal["kept", "broken", "released"]
FINAL: frozenset[str] = frozenset({"released", "withdrawn"})


@dataclass(frozen=True)
class Promise:
    id: str
    by: str
    to: str
    state: PromiseState
    made_at: datetime
    updated_at: datetime
    text: Sealed


def _require(promise: Promise | None) -> Promise:
    if promise is None:
        raise RuleViolation(404, "Not found", "There is no such promise in this notebook.")
    return promise


def make(state: NotebookState, actor: str, text: Sealed, now: datetime) -> tuple[Outcome, Promise]:
    """A promise is made by one partner to the other; its id is its text box's id."""
    require_voice(state, actor, now)
    to = require_partner(state, actor).id
    promise = Promise(text.id, actor, to, "made", now, now, text)
    extra = {"promise": text.id, "to": to, "text": text.wire()}
    return log(state, now, PROMISE_MADE, actor, extra=extra), promise


def _move(
    state: NotebookState,
    promise: Promise,
    actor: str,
    kind: str,
    extra: dict[str, object],
    new_state: PromiseState,
    now: datetime,
) -> tuple[Outcome, Promise]:
    moved = replace(promise, state=new_state, updated_at=now)
    return log(state, now, kind, actor, extra={"promise": promise.id, **extra}), moved


def acknowledge(
    state: NotebookState, promise: Promise | None, actor: str, now: datetime
) -> tuple[Outcome, Promise]:
    """The one it was made to says they heard it."""
    require_present(state, actor)
    found = _require(promise)
    if found.to != actor:
        raise RuleViolation(
            409,
            "Not yours to acknowledge",
            "Only the partner a promise was made to can acknowledge it.",
        )
    if found.state != "made":
        raise RuleViolation(409, "Already answered", f"This promise is already {found.state}.")
    return _move(state, found, actor, PROMISE_ACKNOWLEDGED, {}, "acknowledged", now)


def withdraw(
    state: NotebookState, promise: Promise | None, actor: str, now: datetime
) -> tuple[Outcome, Promise]:
    """The one who made it may take it back, but only before it is acknowledged."""
    require_present(state, actor)
    found = _require(promise)
    if found.by != actor:
        raise RuleViolation(
            409, "Not your promise", "Only the partner who made a promise can withdraw it."
        )
    if found.state != "made":
        raise RuleViolation(
            409,
            "Too late to withdraw",
            "A promise can be withdrawn only before it is acknowledged; "
            "after that, your partner can release you from it.",
        )
    return _move(state, found, actor, PROMISE_WITHDRAWN, {}, "withdrawn", now)


def mark(
    state: NotebookState,
    promise: Promise | None,
    actor: str,
    outcome: Mark,
    note: Sealed | None,
    now: datetime,
) -> tuple[Outcome, Promise]:
    """The one it was made to says how it went: kept, broken (both may change), or released."""
    require_present(state, actor)
    found = _require(promise)
    if found.to != actor:
        raise RuleViolation(
            409, "Not yours to mark", "Only the partner a promise was made to can mark it."
        )
    if found.state == "made":
        raise RuleViolation(
            409, "Not acknowledged yet", "Acknowledge the promise before you mark it."
        )
    if found.state in FINAL or found.state == outcome:
        raise RuleViolation(409, "Already marked", f"This promise is already {found.state}.")
    extra: dict[str, object] = {"outcome": outcome, "note": note.wire() if note else None}
    return _move(state, found, actor, PROMISE_MARKED, extra, outcome, now)
