"""Crossing out a line, alone: only its writer, only a line that is there, only once, and not
after a goodbye."""

from datetime import UTC, datetime, timedelta

import pytest

from unspoken.api.refusals import said
from unspoken.rules import NotebookState, Refusal, RuleViolation, approve, claim, create
from unspoken.rules.crossings import Written, cross_out
from unspoken.rules.membership import leave
from unspoken.rules.pauses import pause

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
HERS = Written("line-of-ella", "ella", 1)


@pytest.fixture
def sealed() -> NotebookState:
    state = claim(create("nb", "ella", NOW).state, "james", NOW).state
    return approve(state, "ella", "james", NOW).state


def refused(status: int, state: NotebookState, written: Written | None, actor: str) -> Refusal:
    with pytest.raises(RuleViolation) as caught:
        cross_out(state, written, actor, NOW)
    words = said(caught.value)
    assert words.status == status and words.detail
    return caught.value.code


def test_the_writer_crosses_out_a_line_of_their_own(sealed: NotebookState) -> None:
    crossed = cross_out(sealed, HERS, "ella", NOW)
    [record] = crossed.records
    assert (record.kind, record.member, record.seq) == (
        "entry.crossed",
        "ella",
        sealed.head_seq + 1,
    )
    assert record.entry is None  # the line itself is not touched
    assert record.extra == {"entry": "line-of-ella", "chapter": 1}
    assert crossed.state.head_seq == sealed.head_seq + 1


def test_without_the_pen_and_during_a_pause_the_writer_still_may(sealed: NotebookState) -> None:
    paused = pause(sealed, "james", 30, None, NOW).state
    assert paused.pen == "ella"
    crossed = cross_out(paused, Written("line-of-james", "james", 1), "james", NOW)
    assert [r.kind for r in crossed.records] == ["entry.crossed"]
    crossed = cross_out(paused, HERS, "ella", NOW + timedelta(minutes=1))
    assert [r.kind for r in crossed.records] == ["entry.crossed"]


def test_only_the_writer_only_a_line_that_is_there_only_once(sealed: NotebookState) -> None:
    assert refused(403, sealed, HERS, "james") is Refusal.NOT_YOUR_ENTRY
    assert refused(404, sealed, None, "ella") is Refusal.NO_ENTRY
    twice = Written("line-of-ella", "ella", 1, crossed=True)
    assert refused(409, sealed, twice, "ella") is Refusal.ALREADY_CROSSED


def test_after_a_goodbye_nobody_crosses_out(sealed: NotebookState) -> None:
    gone = leave(sealed, "james", NOW).state
    assert refused(404, gone, Written("line-of-james", "james", 1), "james") is Refusal.NOT_FOUND
    assert refused(409, gone, HERS, "ella") is Refusal.PARTNER_HAS_LEFT


def test_a_pending_joiner_cannot(sealed: NotebookState) -> None:
    waiting = claim(create("nb", "ella", NOW).state, "james", NOW).state
    line = Written("line-of-james", "james", 1)
    assert refused(403, waiting, line, "james") is Refusal.WAITING_FOR_APPROVAL
