"""Chapters (one conversation each), closing them, and mirror-before-reply inside one."""

from dataclasses import replace
from datetime import datetime
from typing import Literal

from unspoken.protocol.records import CHAPTER_CLOSED, CHAPTER_OPENED, MIRROR_ANSWERED
from unspoken.rules.guards import (
    require_open_chapter,
    require_partner,
    require_pen,
    require_present,
    require_voice,
)
from unspoken.rules.outcome import Outcome, log, then
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import Mirror, Mode, NotebookState, Sealed

Answer = Literal["got-it", "more"]


def _require_chapter(state: NotebookState, n: int) -> None:
    if n != state.chapter:
        raise RuleViolation(
            Refusal.NOT_THE_LATEST_CHAPTER, {"chapter": state.chapter}, chapter=state.chapter
        )


def close_chapter(state: NotebookState, actor: str, n: int, now: datetime) -> Outcome:
    """ "He closed the notebook gently": the open chapter becomes read-only.

    In turns mode only the pen holder closes it, so nobody closes it on the other's turn.
    """
    require_voice(state, actor, now)
    _require_chapter(state, n)
    require_open_chapter(state)
    require_pen(state, actor)
    closed = replace(state, chapter_state="closed", mirror=None)
    return log(closed, now, CHAPTER_CLOSED, actor, extra={"chapter": n})


def new_chapter(
    state: NotebookState,
    actor: str,
    chapter: tuple[int, Mode, bool],
    meta: Sealed,
    now: datetime,
) -> Outcome:
    """Start chapter n (closing the open one first); its opener holds the pen in turns mode."""
    n, mode, mirror = chapter
    require_voice(state, actor, now)
    require_partner(state, actor)
    if n != state.chapter + 1:
        raise RuleViolation(
            Refusal.NOT_THE_NEXT_CHAPTER, {"chapter": state.chapter}, next=state.chapter + 1
        )
    before = Outcome(state, ())
    if state.chapter_state == "open":
        before = close_chapter(state, actor, state.chapter, now)
    opened = replace(
        before.state,
        chapter=n,
        chapter_state="open",
        mode=mode,
        pen=actor if mode == "turns" else None,
        mirror=Mirror() if mirror else None,
    )
    extra = {"chapter": n, "mode": mode, "mirror": mirror, "meta": meta.wire()}
    return then(before, log(opened, now, CHAPTER_OPENED, actor, extra=extra))


def check_mirror(state: NotebookState, actor: str, is_mirror: bool) -> None:
    """In a mirror chapter you restate your partner's words, and hear "you got it", first."""
    mirror = state.mirror
    if mirror is None:
        if is_mirror:
            raise RuleViolation(Refusal.NO_MIRROR_HERE)
        return
    if is_mirror and mirror.owed_by != actor:
        raise RuleViolation(Refusal.NOTHING_TO_MIRROR)
    if not is_mirror and mirror.owed_by == actor:
        raise RuleViolation(Refusal.MIRROR_FIRST, {"mirror": {"owed_by": actor}})
    if not is_mirror and mirror.awaiting not in (None, actor):
        raise RuleViolation(
            Refusal.WAITING_FOR_YOUR_PARTNER, {"mirror": {"awaiting": mirror.awaiting}}
        )


def after_entry(state: NotebookState, actor: str, is_mirror: bool) -> NotebookState:
    """Words make the partner owe a mirror; a mirror waits for its writer's answer."""
    if state.mirror is None:
        return state
    partner = state.partner_of(actor)
    other = partner.id if partner else None
    if is_mirror:
        return replace(state, mirror=Mirror(owed_by=None, awaiting=other))
    return replace(state, mirror=Mirror(owed_by=other, awaiting=None))


def answer_mirror(state: NotebookState, actor: str, answer: Answer, now: datetime) -> Outcome:
    """ "You got it" frees the reply; "there's more" asks for another restatement."""
    require_present(state, actor)
    require_open_chapter(state)
    mirror = state.mirror
    if mirror is None or mirror.awaiting != actor:
        raise RuleViolation(Refusal.NO_MIRROR_TO_ANSWER)
    partner = require_partner(state, actor)
    after = Mirror() if answer == "got-it" else Mirror(owed_by=partner.id)
    answered = replace(state, mirror=after)
    extra = {"answer": answer, "chapter": state.chapter}
    return log(answered, now, MIRROR_ANSWERED, actor, extra=extra)
