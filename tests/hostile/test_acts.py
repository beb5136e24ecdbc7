"""What a hostile operator tries with the acts around the words (protocol v2), and what the
partner's device does: passing the pen, a promise's mark, a goodbye are signed by the device
that did them, so the server can neither invent, change, strip nor replay one, nor show the two
partners different histories without the next act saying so.

Every attack here ends in the SDK's TamperError with the reason both clients share, never in
an act shown as the partner's that the partner did not do.
"""

from contextlib import aclosing
from typing import Any

import pytest

from hostile.operator import Operator, Record
from hostile.rereading import refusal_reading_anew
from unspoken.client import Notebook, TamperError

Couple = tuple[Notebook, Notebook]


async def _promise_kept(ella: Notebook, james: Notebook) -> str:
    """James promises; Ella acknowledges it and marks it kept. The promise's id."""
    await james.sync()
    promise = await james.promise("I will walk with you on Sundays")
    await ella.sync()
    await ella.acknowledge(promise.id)
    await ella.mark_promise(promise.id, "kept")
    return promise.id


async def _refused(notebook: Notebook) -> str:
    with pytest.raises(TamperError) as caught:
        await notebook.sync()
    assert caught.value.reason is not None
    return caught.value.reason


async def test_an_honest_operator_passes_every_act_signed(
    operator: Operator, couple: Couple
) -> None:
    """The baseline the attacks below depart from: the same acts, untouched, all verify, and
    the SDK says which records were signed acts."""
    ella, james = couple
    await _promise_kept(ella, james)
    fresh = await james.session()  # reads the live stream from the notebook's first record
    signed: dict[str, bool | None] = {}
    async with aclosing(fresh.events()) as events:
        async for event in events:
            signed[event.kind] = event.signed
            if event.kind == "promise.marked":
                break
    await fresh.close()
    assert signed["member.joined"] is None  # not an act
    for kind in ("promise.made", "promise.acknowledged", "promise.marked"):
        assert signed[kind] is True, kind


async def test_a_mark_changed_from_kept_to_broken_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    await _promise_kept(ella, james)
    operator.play(
        lambda who, r: [{**r, "outcome": "broken"} if r["kind"] == "promise.marked" else r]
    )
    assert await _refused(james) == "unsigned"


async def test_a_goodbye_the_partner_never_said_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    await ella.write("I am still here")
    forged: dict[str, Record] = {}

    def ella_left(who: str, record: Record) -> list[Record]:
        if record["kind"] != "entry" or forged:
            return [record]
        forged["left"] = {
            "seq": record["seq"] + 1,
            "kind": "member.left",
            "at": record["at"],
            "member": record["member"],
            "erase_at": None,
        }
        return [record, forged["left"]]

    operator.play(ella_left)
    assert await _refused(james) == "unsigned"


async def test_an_act_with_its_signature_stripped_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """Stripping the signature cannot pass an act off as protocol v1's: this notebook began
    under v2, so every act in it must be signed."""
    ella, james = couple
    await ella.write("Your turn")
    await ella.pass_pen()
    operator.play(lambda who, r: [{k: v for k, v in r.items() if k != "act"} if "act" in r else r])
    assert await _refused(james) == "unsigned"


async def test_an_act_signed_by_the_other_partner_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """The server moves James's own knock into Ella's name: the device is not hers."""
    ella, james = couple
    await ella.write("Your turn soon")
    await james.sync()
    await james.ask_for_pen()
    operator.play(
        lambda who, r: (
            [{**r, "member": ella.member_id, "to": ella.member_id}]
            if r["kind"] == "pen.asked"
            else [r]
        )
    )
    assert await _refused(ella) == "untrusted"


async def test_an_act_replayed_later_is_refused(operator: Operator, couple: Couple) -> None:
    """Ella passed the pen once; the server shows it again after James's reply, to take the
    pen from him as if she had passed it a second time."""
    ella, james = couple
    await ella.write("Over to you")
    await ella.pass_pen()
    await james.sync()
    await james.write("Thank you")
    await ella.sync()
    passed: dict[str, Record] = {}

    def again(who: str, record: Record) -> list[Record]:
        if record["kind"] == "pen.passed":
            passed["first"] = record
        if record["kind"] == "entry" and record["member"] == james.member_id and passed:
            return [record, {**passed["first"], "seq": record["seq"] + 1}]
        return [record]

    operator.play(again)
    assert await refusal_reading_anew(ella) == "out_of_place"


async def test_two_histories_are_noticed_at_the_next_act(
    operator: Operator, couple: Couple
) -> None:
    """A fork: the server hides James's line from Ella and shows her his next act in its
    place. His act names the log he saw, with the line in it; Ella's device sees that its own
    history there is another, and says so."""
    ella, james = couple
    await ella.write("Tell me")
    await ella.pass_pen()
    await james.sync()
    hidden: dict[str, int] = {}

    def hide_from_ella(who: str, record: Record) -> list[Record]:
        if who != ella.member_id:
            return [record]
        if record["kind"] == "entry" and record["member"] == james.member_id and not hidden:
            hidden["seq"] = record["seq"]
            return []
        if hidden and record["seq"] > hidden["seq"]:
            return [{**record, "seq": record["seq"] - 1}]
        return [record]

    operator.play(hide_from_ella)
    await james.write("What I never said out loud")
    await james.pass_pen()
    assert await _refused(ella) == "forked"
    await james.sync()  # James's own view is whole


def _listing_broken(path: str, body: Any) -> Any:
    """The promises page with every promise shown as broken, its mark's outcome to match."""
    if not path.endswith("/promises") or not isinstance(body, dict):
        return body
    for promise in body.get("promises", []):
        promise["state"] = "broken"
        for record in promise["history"]:
            if record["kind"] == "promise.marked":
                record["outcome"] = "broken"
    return body


async def test_a_promise_listed_as_broken_when_it_was_kept_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """The promises page is the server's answer, not the log: its state must be what the
    history of signed acts says, and each act in it one the log checked."""
    ella, james = couple
    await _promise_kept(ella, james)
    [kept] = await james.promises()
    assert kept.state == "kept"
    operator.play_answers(_listing_broken)
    with pytest.raises(TamperError):
        await james.promises()
    operator.honest()
    operator.play_answers(
        lambda path, body: (
            {"promises": [{**p, "state": "broken"} for p in body["promises"]]}
            if path.endswith("/promises")
            else body
        )
    )
    with pytest.raises(TamperError):
        await james.promises()


def _view_lies(ella: str) -> Any:
    """The notebook as a hostile server tells it: Ella holds the pen, asked for a day's time,
    closed the chapter, opened writing to both, and left."""

    def lie(path: str, body: Any) -> Any:
        if not (isinstance(body, dict) and "members" in body and "chapter" in body):
            return body
        pause = {"by": ella, "since": "2026-01-01T00:00:00.000Z", "here": False}
        return {
            **body,
            "pen": ella,
            "mode": "open",
            "chapter_state": "closed",
            "pause": pause | {"until": "2099-01-01T00:00:00.000Z"},
            "left": [ella],
        }

    return lie


async def test_a_view_that_says_what_no_act_did_changes_nothing_shown(
    operator: Operator, couple: Couple
) -> None:
    """The pen, the chapter, a pause and a goodbye are followed from signed acts: a notebook
    answer that says otherwise is not believed, and acting on the truth still works."""
    ella, james = couple
    await ella.write("Your turn")
    await ella.pass_pen()
    await james.sync()
    operator.play_answers(_view_lies(ella.member_id))
    await james.sync()
    assert james.pen == james.member_id
    assert james.pause_state is None
    assert james.mode == "turns"
    assert james.left == frozenset()
    assert [c.state for c in james.chapters()] == ["open"]
    await james.write("Still mine to write")
    assert james.pen == james.member_id
    await james.pass_pen()
    assert james.pen == ella.member_id


def _leave_out(listing: str, kind: str, state: str | None = None) -> Any:
    """The `listing` page with every `kind` record taken out of each item's history (and its
    state set to `state`, so that the history and the state agree)."""

    def play(path: str, body: Any) -> Any:
        if not path.endswith(f"/{listing}") or not isinstance(body, dict):
            return body
        for item in body.get(listing, []):
            item["history"] = [r for r in item["history"] if r["kind"] != kind]
            if state is not None:
                item["state"] = state
        return body

    return play


async def test_a_withdrawal_left_out_of_the_promises_listing_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """James withdraws his promise; the server lists it to Ella as still made, the withdrawal
    left out of its history (so that history and state agree), to have her acknowledge
    something he took back. Her log took the withdrawal: the listing is refused."""
    ella, james = couple
    await james.sync()
    promise = await james.promise("I will call your mother")
    await james.withdraw(promise.id)
    operator.play_answers(_leave_out("promises", "promise.withdrawn", "made"))
    with pytest.raises(TamperError) as caught:
        await ella.promises()
    assert caught.value.reason == "left_out"


async def test_a_mark_left_out_of_the_promises_listing_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """Ella marked James's promise kept; the server shows him the promise as only
    acknowledged, the mark left out."""
    ella, james = couple
    await _promise_kept(ella, james)
    operator.play_answers(_leave_out("promises", "promise.marked", "acknowledged"))
    with pytest.raises(TamperError) as caught:
        await james.promises()
    assert caught.value.reason == "left_out"


async def test_a_not_yet_left_out_of_the_agreements_listing_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """James said "not yet" to Ella's words; the server leaves his answer out of the
    agreement's history when Ella looks, as if he had said nothing."""
    ella, james = couple
    proposed = await ella.agree("We take a walk before we argue")
    await james.sync()
    await james.agreements.not_yet(proposed.id, "Give me a day")
    operator.play_answers(_leave_out("agreements", "agreement.declined"))
    with pytest.raises(TamperError) as caught:
        await ella.agreements()
    assert caught.value.reason == "left_out"


async def test_a_promise_left_out_of_the_promises_listing_is_refused(
    operator: Operator, couple: Couple
) -> None:
    """The server leaves a whole promise out of the page, one Ella's log took acts on."""
    ella, james = couple
    await james.sync()
    promise = await james.promise("I will call your mother")
    await ella.sync()
    operator.play_answers(
        lambda path, body: (
            {"promises": [p for p in body["promises"] if p["id"] != promise.id]}
            if path.endswith("/promises")
            else body
        )
    )
    with pytest.raises(TamperError) as caught:
        await ella.promises()
    assert caught.value.reason == "left_out"


async def test_an_honest_listing_passes_whole(operator: Operator, couple: Couple) -> None:
    """The baseline for the three above: the same acts, listed whole, verify."""
    ella, james = couple
    await james.sync()
    promise = await james.promise("I will call your mother")
    await james.withdraw(promise.id)
    [listed] = await ella.promises()
    assert listed.state == "withdrawn"
    proposed = await ella.agree("We take a walk before we argue")
    await james.sync()
    await james.agreements.not_yet(proposed.id, "Give me a day")
    [agreement] = await ella.agreements()
    assert agreement.not_yet


def _head_far_ahead(path: str, body: Any) -> Any:
    """Every notebook answer says the log is a million records long."""
    if isinstance(body, dict) and isinstance(body.get("head"), dict):
        body["head"] = {**body["head"], "seq": 1_000_000}
    return body


async def test_a_head_claimed_far_ahead_at_pairing_downgrades_nothing(
    operator: Operator,
) -> None:
    """From the first answer on, the server claims a head far ahead, hoping the devices pin
    where signing begins there and take every later unsigned act as protocol v1's. A notebook
    made or joined under v2 requires every act signed from its first record: an act with its
    signature stripped is refused."""
    operator.play_answers(_head_far_ahead)
    ella = await Notebook.create(operator.url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    try:
        assert (ella.signed_from, james.signed_from) == (0, 0)
        await ella.write("Your turn")
        await ella.pass_pen()
        operator.play(
            lambda who, r: [{k: v for k, v in r.items() if k != "act"} if "act" in r else r]
        )
        assert await _refused(james) == "unsigned"
    finally:
        await ella.close()
        await james.close()
