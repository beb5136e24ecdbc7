"""The rules beyond pairing, alone: pen, pauses, promises, agreements, chapters, goodbye."""

from datetime import UTC, datetime, timedelta

import pytest

from unspoken.api.refusals import said
from unspoken.rules import (
    NotebookState,
    Refusal,
    RuleViolation,
    Sealed,
    agreements,
    approve,
    chapters,
    claim,
    create,
    membership,
    pauses,
    pen,
    promises,
)
from unspoken.rules.commands import append_entry
from unspoken.rules.state import Entry

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
BOX = Sealed("item", "dev", b"\x01box", bytes(64))


def refused(status: int, fn: object, *args: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        fn(*args)  # type: ignore[operator]
    assert said(caught.value).status == status and said(caught.value).detail
    return caught.value


def entry(state: NotebookState, mirror: bool = False) -> Entry:
    digest = (state.head_seq + 1).to_bytes(32, "big")
    return Entry(
        f"e{state.head_seq}",
        state.chapter,
        "dev",
        state.head_hash,
        digest,
        b"\x01",
        bytes(64),
        mirror,
    )


@pytest.fixture
def sealed() -> NotebookState:
    state = claim(create("nb", "ella", NOW).state, "james", NOW).state
    return approve(state, "ella", "james", NOW).state


def test_knocks_are_limited_to_one_in_ten_minutes(sealed: NotebookState) -> None:
    knocked = pen.ask_for_pen(sealed, "james", NOW)
    assert [r.kind for r in knocked.records] == ["pen.asked"]
    later = NOW + timedelta(minutes=9, seconds=1)
    too_soon = refused(429, pen.ask_for_pen, knocked.state, "james", later)
    assert said(too_soon).detail == "You can ask again in 1 minute." and too_soon.retry_after == 59
    pen.ask_for_pen(knocked.state, "james", NOW + timedelta(minutes=10))
    refused(409, pen.ask_for_pen, sealed, "ella", NOW)


def test_modes(sealed: NotebookState) -> None:
    refused(409, pen.set_mode, sealed, "james", "open", NOW)
    opened = pen.set_mode(sealed, "ella", "open", NOW).state
    assert opened.pen is None
    append_entry(opened, "james", entry(opened), NOW)
    refused(409, pen.pass_pen, opened, "ella", NOW)
    turns = pen.set_mode(opened, "james", "turns", NOW).state
    assert turns.pen == "james"


@pytest.mark.parametrize("minutes", [19, 1441])
def test_pause_range(sealed: NotebookState, minutes: int) -> None:
    assert (
        "20 minutes to 24 hours"
        in said(refused(422, pauses.pause, sealed, "ella", minutes, None, NOW)).detail
    )


def test_a_pause_silences_the_partner_until_ready_or_run_out(sealed: NotebookState) -> None:
    paused = pauses.pause(sealed, "ella", 30, BOX, NOW).state
    given = pen.pass_pen(paused, "ella", NOW).state
    refused(409, append_entry, given, "james", entry(given), NOW)
    refused(409, pen.ask_for_pen, paused, "james", NOW)
    refused(409, promises.make, paused, "james", BOX, NOW)
    refused(409, pauses.ready, paused, "james", NOW)
    here = pauses.be_here(paused, "james", None, NOW).state
    refused(409, pauses.be_here, here, "james", None, NOW)
    ended = pauses.ready(here, "ella", NOW)
    assert ended.records[0].extra == {"reason": "ready"} and ended.state.pause is None
    later = NOW + timedelta(minutes=30)
    append_entry(given, "james", entry(given), later)  # time ran out: the partner writes again
    expired = pauses.expire(given, later)
    assert expired is not None and expired.records[0].extra == {"reason": "expired"}
    assert pauses.expire(expired.state, later) is None


def test_renewal_is_its_own_record_and_settles_a_run_out_pause_first(
    sealed: NotebookState,
) -> None:
    paused = pauses.pause(sealed, "ella", 20, None, NOW).state
    renewed = pauses.pause(paused, "ella", 60, None, NOW + timedelta(minutes=10))
    assert [r.kind for r in renewed.records] == ["pause.renewed"]
    again = pauses.pause(paused, "ella", 60, None, NOW + timedelta(minutes=25))
    assert [r.kind for r in again.records] == ["pause.ended", "pause.started"]


def test_a_promise_lifecycle_and_its_refusals(sealed: NotebookState) -> None:
    made, promise = promises.make(sealed, "james", BOX, NOW)
    assert promise.to == "ella"
    refused(409, promises.acknowledge, made.state, promise, "james", NOW)
    refused(409, promises.mark, made.state, promise, "ella", "kept", None, NOW)
    refused(404, promises.acknowledge, made.state, None, "ella", NOW)
    _, acked = promises.acknowledge(made.state, promise, "ella", NOW)
    refused(409, promises.withdraw, made.state, acked, "james", NOW)
    refused(409, promises.mark, made.state, acked, "james", "kept", None, NOW)
    _, released = promises.mark(made.state, acked, "ella", "released", BOX, NOW)
    refused(409, promises.mark, made.state, released, "ella", "kept", None, NOW)
    _, withdrawn = promises.withdraw(made.state, promise, "james", NOW)
    assert withdrawn.state == "withdrawn"


def test_an_agreement_needs_the_other_signature(sealed: NotebookState) -> None:
    proposed, agreement = agreements.propose(sealed, "ella", BOX, NOW)
    assert agreement.state == "proposed"
    refused(409, agreements.cosign, proposed.state, agreement, "ella", ("dev", bytes(64)), NOW)
    _, signed = agreements.cosign(proposed.state, agreement, "james", ("dev2", bytes(64)), NOW)
    assert signed.state == "agreed"
    refused(409, agreements.cosign, proposed.state, signed, "james", ("dev2", bytes(64)), NOW)


def test_an_agreement_can_be_answered_not_yet_and_revised(sealed: NotebookState) -> None:
    """Not yet leaves it open; other words replace the text and clear every signature."""
    note = Sealed("note", "dev2", b"\x01note", bytes(64))
    proposed, agreement = agreements.propose(sealed, "ella", BOX, NOW)
    state = proposed.state
    own = refused(403, agreements.not_yet, state, agreement, "ella", None, NOW)
    assert own.code == Refusal.YOUR_OWN_WORDS
    refused(404, agreements.not_yet, state, None, "james", None, NOW)
    declined, waiting = agreements.not_yet(state, agreement, "james", note, NOW)
    assert [r.kind for r in declined.records] == ["agreement.declined"]
    assert declined.records[0].extra["note"]["id"] == "note"
    assert waiting.state == "proposed" and waiting.not_yet_at == NOW
    again = refused(409, agreements.not_yet, state, waiting, "james", None, NOW)
    assert again.code == Refusal.ALREADY_SAID_NOT_YET

    words = Sealed("other", "dev2", b"\x01other", bytes(64))
    later = NOW + timedelta(minutes=5)
    revised, other = agreements.revise(state, waiting, "james", words, later)
    assert [r.kind for r in revised.records] == ["agreement.revised"]
    assert revised.records[0].extra == {"agreement": "item", "text": words.wire()}
    assert (other.id, other.proposer, other.text, other.proposed_at) == (
        "item",
        "james",
        words,
        later,
    )
    assert other.cosigned is None and other.not_yet_at is None
    # Now Ella may say not yet, James may not; Ella's signature must be over the new words.
    refused(403, agreements.not_yet, state, other, "james", None, NOW)
    stale = refused(409, agreements.cosign, state, other, "ella", ("d", bytes(64)), NOW, "item")
    assert stale.code == Refusal.WORDS_CHANGED
    _, signed = agreements.cosign(state, other, "ella", ("d", bytes(64)), NOW, "other")
    assert signed.state == "agreed"
    refused(409, agreements.revise, state, signed, "ella", BOX, NOW)
    refused(409, agreements.not_yet, state, signed, "ella", None, NOW)
    refused(409, agreements.revise, state, other, "ella", words, NOW)  # the same words' id
    refused(404, agreements.revise, state, None, "ella", words, NOW)


def test_chapters_close_and_open(sealed: NotebookState) -> None:
    refused(409, chapters.close_chapter, sealed, "james", 1, NOW)
    closed = chapters.close_chapter(sealed, "ella", 1, NOW).state
    refused(409, append_entry, closed, "ella", entry(closed), NOW)
    refused(409, chapters.new_chapter, closed, "james", (3, "turns", False), BOX, NOW)
    opened = chapters.new_chapter(closed, "james", (2, "turns", True), BOX, NOW)
    assert (opened.state.chapter, opened.state.pen, opened.state.chapter_state) == (
        2,
        "james",
        "open",
    )
    at_once = chapters.new_chapter(sealed, "ella", (2, "open", False), BOX, NOW)
    assert [r.kind for r in at_once.records] == ["chapter.closed", "chapter.opened"]
    assert at_once.state.pen is None


def test_mirror_before_reply(sealed: NotebookState) -> None:
    state = chapters.new_chapter(sealed, "ella", (2, "open", True), BOX, NOW).state
    refused(409, append_entry, state, "james", entry(state, mirror=True), NOW)
    state = append_entry(state, "ella", entry(state), NOW).state
    refused(409, append_entry, state, "james", entry(state), NOW)
    state = append_entry(state, "james", entry(state, mirror=True), NOW).state
    refused(409, append_entry, state, "james", entry(state), NOW)
    refused(409, chapters.answer_mirror, state, "james", "got-it", NOW)
    state = chapters.answer_mirror(state, "ella", "got-it", NOW).state
    append_entry(state, "james", entry(state), NOW)


def test_goodbye(sealed: NotebookState) -> None:
    gone = membership.leave(sealed, "james", NOW)
    assert gone.records[0].extra["erase_at"] == "2026-12-22T07:30:00.000Z"
    refused(409, pen.pass_pen, gone.state, "ella", NOW)
    refused(404, membership.leave, gone.state, "james", NOW)
    assert not membership.due_for_erasure(gone.state, NOW + timedelta(days=29))
    assert membership.due_for_erasure(gone.state, NOW + timedelta(days=30))
    both = membership.leave(gone.state, "ella", NOW).state
    assert membership.due_for_erasure(both, NOW)


@pytest.mark.parametrize("who", ["ella", "james"])
def test_a_goodbye_ends_a_pause_and_nothing_is_written_after_it(
    sealed: NotebookState, who: str
) -> None:
    paused = pauses.pause(sealed, "ella", 60, None, NOW).state
    gone = membership.leave(paused, who, NOW + timedelta(minutes=5))
    assert [r.kind for r in gone.records] == ["pause.ended", "member.left"]
    assert gone.records[0].member == "ella" and gone.records[0].extra["reason"] == "left"
    assert gone.state.pause is None
    assert pauses.expire(gone.state, NOW + timedelta(hours=2)) is None  # the sweeper finds none


def test_a_pause_that_ran_out_before_the_goodbye_is_told_as_run_out(sealed: NotebookState) -> None:
    paused = pauses.pause(sealed, "ella", 20, None, NOW).state
    gone = membership.leave(paused, "james", NOW + timedelta(minutes=25))
    assert [(r.kind, r.extra.get("reason")) for r in gone.records] == [
        ("pause.ended", "expired"),
        ("member.left", None),
    ]
