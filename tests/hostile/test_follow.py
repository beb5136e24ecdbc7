"""What a hostile operator tries with what the log shows beside the signed acts, and what the
partner's device does: the pen, a pause's end, a chapter's mirror-before-reply and the records
no device signed are followed only from what the acting device signed, the rules and the
clock (docs/protocol.md, "Following the log: what signed acts and the rules say"), so the
server cannot give the pen, end a pause early, drop a restatement or show the two partners
different server records unnoticed.

Every attack ends in the SDK's TamperError with the reason both clients share.
"""

from contextlib import aclosing
from datetime import UTC, datetime, timedelta

import pytest

from hostile.operator import Operator, Play, Record
from hostile.rereading import refusal_reading_anew
from unspoken.client import Notebook, TamperError
from unspoken.rules.outcome import iso

Couple = tuple[Notebook, Notebook]


async def _refused(notebook: Notebook) -> str:
    with pytest.raises(TamperError) as caught:
        await notebook.sync()
    assert caught.value.reason is not None
    return caught.value.reason


def _for(member: str, kind: str, change: dict[str, object]) -> Play:
    """A play: `member` sees every record of `kind` with `change` made to it."""

    def play(who: str, record: Record) -> list[Record]:
        return [{**record, **change} if who == member and record["kind"] == kind else record]

    return play


async def test_the_pen_given_after_the_partner_asked_for_turns_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """James signs "back to turns", which puts the pen in his hand; the server tells Ella's
    device it is hers."""
    ella, james = couple
    await ella.set_mode("open")
    await james.sync()
    operator.play(_for(ella.member_id, "mode.changed", {"pen": ella.member_id}))
    await james.set_mode("turns")
    assert james.pen == james.member_id
    assert await _refused(ella) == "contradicts"
    assert ella.pen is None  # still as the last act it took says: open mode, nobody's


async def test_the_pen_given_in_open_mode_is_refused(operator: Operator, couple: Couple) -> None:
    ella, james = couple
    operator.play(_for(james.member_id, "mode.changed", {"pen": ella.member_id}))
    await ella.set_mode("open")
    assert await _refused(james) == "contradicts"


def _expired_after(kind: str, member: str, reason: str) -> Play:
    """A play: `member` is shown the pause ended (`reason`) by the server just after the
    record of `kind`, every later record one place further on."""
    inserted: dict[str, int] = {}

    def play(who: str, record: Record) -> list[Record]:
        if who != member:
            return [record]
        if record["kind"] == kind and inserted.get("seq", record["seq"] + 1) == record["seq"] + 1:
            inserted["seq"] = record["seq"] + 1  # each time this partner reads it
            ended = {
                "seq": record["seq"] + 1,
                "kind": "pause.ended",
                "at": record["at"],
                "member": record["member"],
                "reason": reason,
            }
            return [record, ended]
        if inserted and record["seq"] >= inserted["seq"]:
            return [{**record, "seq": record["seq"] + 1}]
        return [record]

    return play


async def test_a_pause_ended_by_the_clock_before_its_time_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """Ella asks for an hour; the server tells James the hour ran out at once."""
    ella, james = couple
    operator.play(_expired_after("pause.started", james.member_id, "expired"))
    await ella.pause(60)
    assert await _refused(james) == "too_early"
    assert james.pause_state is not None  # the hour Ella asked for still stands


async def test_a_pause_dated_back_after_a_quiet_spell_and_ended_early_is_refused(
    operator: Operator,
) -> None:
    """The couple wrote nothing for two days; Ella asks for eight hours. The server dates her
    asking back to its last record, two days ago, and tells James her time was over six hours
    ago: his device counts her eight hours from when her device signed it asked, and refuses."""
    now = datetime.now(UTC)
    back, over = iso(now - timedelta(days=2)), iso(now - timedelta(days=2) + timedelta(hours=8))
    told: dict[str, str] = {}  # James's member id, once he has one: only he is told the end
    early = _expired_after("pause.started", "", "expired")

    def play(who: str, record: Record) -> list[Record]:
        record = {**record, "at": back}  # every record dated as the quiet spell's start
        if who != told.get("james"):
            return [record]
        return [{**r, "at": over} if r["kind"] == "pause.ended" else r for r in early("", record)]

    operator.play(play)
    ella = await Notebook.create(operator.url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    try:
        await james.sync()
        told["james"] = james.member_id
        await ella.pause(480)
        assert await _refused(james) == "too_early"
        assert james.pause_state is not None  # the eight hours Ella asked for still stand
    finally:
        await ella.close()
        await james.close()


async def test_a_pause_ended_for_a_goodbye_nobody_said_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """The server ends Ella's pause for James as if someone had left, and nobody did: the
    pause stands until the goodbye comes, and what comes instead is refused."""
    ella, james = couple
    operator.play(_expired_after("pause.started", james.member_id, "left"))
    await ella.pause(30)
    await james.sync()
    assert james.pause_state is not None
    await ella.ready()
    # Reads it all again, the ready after the forged end.
    assert await refusal_reading_anew(james) == "against_the_rules"


async def test_a_mirror_chapter_shown_without_its_mirror_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """Ella opens a chapter where each restates the other first; the server tells James it
    has no such rule, so that he would reply without restating."""
    ella, james = couple
    await ella.new_chapter("After Sunday", mirror=True)
    await ella.write("I felt alone on Sunday")
    await james.sync()
    assert james.mirror is not None and james.mirror.owed_by == james.member_id
    operator.play(_for(james.member_id, "chapter.opened", {"mirror": False}))
    assert await refusal_reading_anew(james) == "contradicts"


async def test_a_server_record_told_differently_to_each_partner_is_noticed(
    operator: Operator, couple: Couple
) -> None:
    """A fork in a record no device signed: Ella's device is shown James's arrival at another
    time than James's. His next line names the log he saw, that record bound in it."""
    ella, james = couple
    await ella.write("Tell me")
    await ella.pass_pen()
    await james.sync()
    await james.write("I am here")
    operator.play(_for(ella.member_id, "member.joined", {"at": "2026-01-01T00:00:00.000Z"}))
    assert await refusal_reading_anew(ella) == "forked"


async def test_a_v1_act_comes_out_marked_not_signed_by_its_author(
    operator: Operator, couple: Couple
) -> None:
    """A record before `signed_from` (a notebook begun under protocol v1) carries no act: it is
    followed as v1 did, and the SDK's model says its author never signed it."""
    ella, james = couple
    await ella.write("Over to you")
    await ella.pass_pen()
    passed = ella._log.seq  # the pass is the last record
    operator.play(lambda who, r: [{k: v for k, v in r.items() if k != "act"} if "act" in r else r])
    fresh = await james.session()
    fresh.signed_from = passed  # v1 up to and including the pass
    signed: dict[str, bool | None] = {}
    async with aclosing(fresh.events()) as events:
        async for event in events:
            signed[event.kind] = event.signed
            if event.kind == "pen.passed":
                break
    assert fresh.pen == james.member_id
    await fresh.close()
    assert signed["pen.passed"] is False
    assert signed["member.joined"] is None  # not an act
