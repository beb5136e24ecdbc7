"""The pen: who may write now, passing it, asking for it, and the chapter's mode."""

import math
from dataclasses import replace
from datetime import datetime, timedelta

from unspoken.protocol.records import MODE_CHANGED, PEN_ASKED, PEN_PASSED
from unspoken.rules.guards import (
    require_open_chapter,
    require_partner,
    require_pen,
    require_present,
    require_voice,
)
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import Member, Mode, NotebookState

KNOCK_EVERY = timedelta(minutes=10)


def require_write(state: NotebookState, actor: str, now: datetime) -> Member:
    """May `actor` put words on the page right now (entries and draft frames alike)?"""
    member = require_present(state, actor)
    require_open_chapter(state)
    require_voice(state, actor, now)
    require_pen(state, actor)
    return member


def pass_pen(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """The pen holder hands the pen to the other active member."""
    require_present(state, actor)
    if state.mode != "turns":
        raise RuleViolation(Refusal.NO_PEN)
    require_pen(state, actor)
    partner = state.partner_of(actor)
    if partner is None:
        raise RuleViolation(Refusal.NO_PARTNER_FOR_PEN)
    passed = replace(state, pen=partner.id)
    return log(passed, now, PEN_PASSED, actor, extra={"to": partner.id, "chapter": state.chapter})


def _check_knock_interval(member: Member, now: datetime) -> None:
    if member.knocked_at is None or now - member.knocked_at >= KNOCK_EVERY:
        return
    wait = (member.knocked_at + KNOCK_EVERY - now).total_seconds()
    minutes = max(1, math.ceil(wait / 60))
    raise RuleViolation(
        Refusal.ASKED_RECENTLY, retry_after=max(1, math.ceil(wait)), minutes=minutes
    )


def ask_for_pen(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """A gentle knock: the partner without the pen asks for it, at most once in ten minutes."""
    member = require_voice(state, actor, now)
    require_open_chapter(state)
    if state.mode != "turns" or state.pen is None:
        raise RuleViolation(Refusal.NO_PEN_TO_ASK_FOR)
    if state.pen == actor:
        raise RuleViolation(Refusal.YOU_HOLD_THE_PEN)
    _check_knock_interval(member, now)
    knocked = state.with_member(replace(member, knocked_at=now))
    return log(knocked, now, PEN_ASKED, actor, extra={"to": state.pen, "chapter": state.chapter})


def set_mode(state: NotebookState, actor: str, mode: Mode, now: datetime) -> Outcome:
    """Open mode is the pen holder's to give; turns can be asked by either, who takes the pen."""
    require_voice(state, actor, now)
    require_open_chapter(state)
    require_partner(state, actor)
    if mode == state.mode:
        raise RuleViolation(Refusal.SAME_MODE, mode=mode)
    if mode == "open":
        require_pen(state, actor)
    changed = replace(state, mode=mode, pen=actor if mode == "turns" else None)
    extra = {"mode": mode, "pen": changed.pen, "chapter": state.chapter}
    return log(changed, now, MODE_CHANGED, actor, extra=extra)
