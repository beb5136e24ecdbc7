"""Time and space: "I need time", "I'll be here", "I'm ready to talk", and running out."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from unspoken.protocol.records import PAUSE_ENDED, PAUSE_HERE, PAUSE_RENEWED, PAUSE_STARTED
from unspoken.rules.guards import active_pause, require_partner, require_present, require_voice
from unspoken.rules.outcome import Outcome, iso, log, then
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import NotebookState, Pause, Sealed

MIN_MINUTES = 20
MAX_MINUTES = 24 * 60
# How far from the server's clock the asking device may say it asked for time (its own clock,
# which it signs; docs/protocol.md, "Protocol v2 — signed acts").
ASKED_SKEW = timedelta(minutes=5)


def _note(note: Sealed | None) -> dict[str, object]:
    return {"note": note.wire() if note is not None else None}


def expire(state: NotebookState, now: datetime) -> Outcome | None:
    """A pause whose time has run out ends, and both are told; None when there is nothing to end."""
    pause = state.pause
    if pause is None or now < pause.until:
        return None
    return log(replace(state, pause=None), now, PAUSE_ENDED, pause.by, extra={"reason": "expired"})


def end_for_goodbye(state: NotebookState, now: datetime) -> Outcome:
    """A pause still on when a partner leaves ends with the goodbye: nobody is waiting to talk
    any more, and nothing may be written after it, the sweeper's end included. One that had
    already run out is told as such; no pause, no record."""
    pause = state.pause
    if pause is None:
        return Outcome(state, ())
    return expire(state, now) or log(
        replace(state, pause=None), now, PAUSE_ENDED, pause.by, extra={"reason": "left"}
    )


def _settled(state: NotebookState, now: datetime) -> Outcome:
    """The state with any run-out pause ended first, so the log tells things in order."""
    return expire(state, now) or Outcome(state, ())


def _check_length(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise RuleViolation(
            Refusal.PAUSE_OUT_OF_RANGE, {"min_minutes": MIN_MINUTES, "max_minutes": MAX_MINUTES}
        )


def pause(
    state: NotebookState,
    actor: str,
    minutes: int,
    note: Sealed | None,
    now: datetime,
    asked: int | None = None,
) -> Outcome:
    """Start a pause, or renew one's own: either way the partner is told, with the new end.
    `asked` is when the asking device asked (unix ms, its own clock, which its act signs; now
    when not said): the pause ends `minutes` after it, and it must be within `ASKED_SKEW` of
    the server's clock."""
    require_voice(state, actor, now)
    require_partner(state, actor)
    _check_length(minutes)
    asked = round(now.timestamp() * 1000) if asked is None else asked
    since = datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=asked)
    if abs(since - now) > ASKED_SKEW:
        raise RuleViolation(Refusal.CLOCK_IS_OFF)
    settled = _settled(state, now)
    until = since + timedelta(minutes=minutes)
    current = settled.state.pause
    extra = {"until": iso(until), "minutes": minutes, "asked": asked, **_note(note)}
    if current is not None:
        renewed = replace(settled.state, pause=replace(current, until=until))
        return then(settled, log(renewed, now, PAUSE_RENEWED, actor, extra=extra))
    started = replace(settled.state, pause=Pause(actor, now, until))
    return then(settled, log(started, now, PAUSE_STARTED, actor, extra=extra))


def _require_partners_pause(state: NotebookState, actor: str, now: datetime) -> Pause:
    require_present(state, actor)
    current = active_pause(state, now)
    if current is None:
        raise RuleViolation(Refusal.NO_PAUSE)
    return current


def be_here(state: NotebookState, actor: str, note: Sealed | None, now: datetime) -> Outcome:
    """The partner's one standing answer to a pause."""
    current = _require_partners_pause(state, actor, now)
    if current.by == actor:
        raise RuleViolation(Refusal.YOUR_OWN_PAUSE)
    if current.here:
        raise RuleViolation(Refusal.ALREADY_HERE)
    answered = replace(state, pause=replace(current, here=True))
    return log(answered, now, PAUSE_HERE, actor, extra=_note(note))


def ready(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """ "I'm ready to talk": only the one who asked for time ends it early."""
    current = _require_partners_pause(state, actor, now)
    if current.by != actor:
        raise RuleViolation(Refusal.NOT_YOUR_PAUSE)
    return log(replace(state, pause=None), now, PAUSE_ENDED, actor, extra={"reason": "ready"})
