"""Checks many commands share: who may act, and whether the notebook lets them right now."""

from datetime import datetime

from unspoken.rules.errors import RuleViolation
from unspoken.rules.outcome import iso
from unspoken.rules.state import Member, NotebookState, Pause


def require_member(state: NotebookState, member_id: str) -> Member:
    member = state.member(member_id)
    if member is None or member.left_at is not None:
        raise RuleViolation(404, "Not found", "There is no such notebook.")
    return member


def require_reader(member: Member) -> Member:
    """Only active members read or write; a pending joiner waits for approval."""
    if member.state != "active":
        raise RuleViolation(
            403, "Waiting for approval", "You can read and write once you have been let in."
        )
    return member


def require_present(state: NotebookState, actor: str) -> Member:
    """An active member of a notebook nobody has left: once one leaves, it is read-only."""
    member = require_reader(require_member(state, actor))
    if state.left():
        raise RuleViolation(
            409,
            "Partner has left",
            "Your partner has left this notebook. You can still read and export it, "
            "but nothing more can be added.",
        )
    return member


def require_partner(state: NotebookState, actor: str) -> Member:
    partner = state.partner_of(actor)
    if partner is None:
        raise RuleViolation(
            409, "No partner yet", "This needs your partner, and they have not joined yet."
        )
    return partner


def require_open_chapter(state: NotebookState) -> None:
    if state.chapter_state != "open":
        raise RuleViolation(
            409,
            "Chapter closed",
            f"Chapter {state.chapter} is closed and read-only; start a new chapter to write.",
            {"chapter": state.chapter},
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
            409,
            "Partner asked for time",
            f"Your partner asked for time until {pause.until:%H:%M} UTC. You can draft "
            "meanwhile; your drafts are kept, and you can say you'll be here.",
            {"pause": {"by": pause.by, "until": iso(pause.until)}},
        )


def require_voice(state: NotebookState, actor: str, now: datetime) -> Member:
    """Present, with a partner, and not asked to wait: may add something new."""
    member = require_present(state, actor)
    require_not_silenced(state, actor, now)
    return member


def require_pen(state: NotebookState, actor: str) -> None:
    if state.mode == "turns" and state.pen != actor:
        raise RuleViolation(
            409, "Not your turn", "Your partner holds the pen right now.", {"pen": state.pen}
        )
