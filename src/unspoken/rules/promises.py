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
from unspoken.rules.guards import require_partner, require_present, require_voice
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.refusals import Refusal, RuleViolation
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
        raise RuleViolation(Refusal.NO_PROMISE)
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
        raise RuleViolation(Refusal.NOT_YOURS_TO_ACKNOWLEDGE)
    if found.state != "made":
        raise RuleViolation(Refusal.ALREADY_ANSWERED, state=found.state)
    return _move(state, found, actor, PROMISE_ACKNOWLEDGED, {}, "acknowledged", now)


def withdraw(
    state: NotebookState, promise: Promise | None, actor: str, now: datetime
) -> tuple[Outcome, Promise]:
    """The one who made it may take it back, but only before it is acknowledged."""
    require_present(state, actor)
    found = _require(promise)
    if found.by != actor:
        raise RuleViolation(Refusal.NOT_YOUR_PROMISE)
    if found.state != "made":
        raise RuleViolation(Refusal.TOO_LATE_TO_WITHDRAW)
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
        raise RuleViolation(Refusal.NOT_YOURS_TO_MARK)
    if found.state == "made":
        raise RuleViolation(Refusal.NOT_ACKNOWLEDGED_YET)
    if found.state in FINAL or found.state == outcome:
        raise RuleViolation(Refusal.ALREADY_MARKED, state=found.state)
    extra: dict[str, object] = {"outcome": outcome, "note": note.wire() if note else None}
    return _move(state, found, actor, PROMISE_MARKED, extra, outcome, now)
