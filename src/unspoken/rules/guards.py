"""Checks many commands share: who may act, and whether the notebook lets them right now."""

from datetime import datetime

from unspoken.rules.outcome import iso
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import Member, NotebookState, Pause


def require_member(state: NotebookState, member_id: str) -> Member:
    member = state.member(member_id)
    if member is None or member.left_at is not None:
        raise RuleViolation(Refusal.NOT_FOUND)
    return member


def require_reader(member: Member) -> Member:
    """Only active members read or write; a pending joiner waits for approval."""
    if member.state != "active":
        raise RuleViolation(Refusal.WAITING_FOR_APPROVAL)
    return member


def require_present(state: NotebookState, actor: str) -> Member:
    """An active member of a notebook nobody has left: once one leaves, it is read-only."""
    member = require_reader(require_member(state, actor))
    if state.left():
        raise RuleViolation(Refusal.PARTNER_HAS_LEFT)
    return member


def require_partner(state: NotebookState, actor: str) -> Member:
    partner = state.partner_of(actor)
    if partner is None:
        raise RuleViolation(Refusal.NO_PARTNER_YET)
    return partner


def require_open_chapter(state: NotebookState) -> None:
    if state.chapter_state != "open":
        raise RuleViolation(
            Refusal.CHAPTER_CLOSED, {"chapter": state.chapter}, chapter=state.chapter
        )


def active_pause(state: NotebookState, now: datetime) -> Pause | None:
    """The pause in force at `now`; one whose time has run out no longer silences anyone."""
    pause = state.pause
    return pause if pause is not None and now < pause.until else None


def require_not_silenced(state: NotebookState, actor: str, now: datetime) -> None:
    """While a pause lasts, the partner who did not ask for it adds nothing."""
    pause = active_pause(state, now)
    if pause is not None and pause.by != actor:
        raise RuleViolation(
            Refusal.PARTNER_ASKED_FOR_TIME,
            {"pause": {"by": pause.by, "until": iso(pause.until)}},
            until=pause.until,
        )


def require_voice(state: NotebookState, actor: str, now: datetime) -> Member:
    """Present, with a partner, and not asked to wait: may add something new."""
    member = require_present(state, actor)
    require_not_silenced(state, actor, now)
    return member


def require_pen(state: NotebookState, actor: str) -> None:
    if state.mode == "turns" and state.pen != actor:
        raise RuleViolation(Refusal.NOT_YOUR_TURN, {"pen": state.pen})
