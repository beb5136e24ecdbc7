"""The SDK's rules against a real server: drafts forming live, chapters, marks, goodbye."""

import asyncio
from contextlib import aclosing

import pytest

from unspoken.client import Event, Notebook, UnspokenError


async def _first(notebook: Notebook, kind: str, heard: asyncio.Event | None = None) -> Event:
    """The first event of `kind` on the stream; `heard` is set at the first event of any kind."""
    async with aclosing(notebook.events()) as stream:
        async for event in stream:
            if heard is not None:
                heard.set()
            if event.kind == kind:
                return event
    raise AssertionError("the stream ended")


async def test_the_partner_watches_the_words_form(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    heard = asyncio.Event()
    watching = asyncio.create_task(_first(ella, "draft", heard))
    # Frames reach only open streams: once a record made after she began listening reaches
    # her (her knock for the pen), her stream is open.
    await ella.ask_for_pen()
    await asyncio.wait_for(heard.wait(), 10)
    await james.send_draft("I never meant")
    event = await asyncio.wait_for(watching, 10)
    assert event.seq == 0 and event.draft is not None
    assert (event.draft.author, event.draft.text, event.draft.n) == ("James", "I never meant", 0)
    written = await james.write("I never meant for things to end this way")
    assert [e.seq for e in await ella.read()] == [written.seq]  # the frame left no trace
    with pytest.raises(UnspokenError) as refused:
        await ella.send_draft("Nor")
    assert refused.value.status == 409


async def test_chapters_from_a_template_with_mirror_before_reply(
    pair: tuple[Notebook, Notebook],
) -> None:
    james, ella = pair
    await james.write("I don't want to lose you.")
    await james.close_chapter()
    chapter = await james.new_chapter("After the bar", template="after-a-fight", mirror=True)
    assert (chapter.n, chapter.title, chapter.template, chapter.mirror) == (
        2,
        "After the bar",
        "after-a-fight",
        True,
    )
    await james.write("I felt you slipping away")
    await james.pass_pen()
    await ella.refresh()
    [seen] = [c for c in ella.chapters() if c.n == 2]
    assert seen.title == "After the bar" and [c.state for c in ella.chapters()] == [
        "closed",
        "open",
    ]
    with pytest.raises(UnspokenError) as first:
        await ella.write("I was here all along")
    assert "restate" in first.value.detail
    mirror = await ella.write("You felt me slipping away", mirror=True)
    assert mirror.mirror
    await james.answer_mirror("got-it")
    await ella.write("I was here all along")
    assert [(e.text, e.mirror) for e in await james.read()] == [
        ("I felt you slipping away", False),
        ("You felt me slipping away", True),
        ("I was here all along", False),
    ]


async def test_an_agreement_waits_for_not_yet_and_other_words(
    pair: tuple[Notebook, Notebook],
) -> None:
    """James proposes; Ella says not yet with a note, which James reads opened and verified;
    she proposes other words; both sign them, as each side's checked history says."""
    james, ella = pair
    proposed = await james.agreements.agree("We talk every Sunday.")
    with pytest.raises(UnspokenError) as own:
        await james.agreements.not_yet(proposed)
    assert own.value.status == 403
    waiting = await ella.agreements.not_yet(proposed, note="Not every Sunday; let me think.")
    assert waiting.not_yet and waiting.state == "proposed" and not waiting.agreed
    [seen] = await james.agreements()
    assert (seen.not_yet, seen.not_yet_note) == (True, "Not every Sunday; let me think.")
    assert [r["kind"] for r in seen.history] == ["agreement.proposed", "agreement.declined"]

    revised = await ella.agreements.revise(seen, "We talk on Sundays when we both can.")
    assert revised.proposer == ella.member_id and revised.text.startswith("We talk on Sundays")
    assert revised.signers == (ella.member_id,) and not revised.not_yet
    [theirs] = await james.agreements()
    assert theirs.text == "We talk on Sundays when we both can."
    assert theirs.proposer == ella.member_id and not theirs.agreed and not theirs.not_yet
    with pytest.raises(UnspokenError) as mine:
        await ella.agree(revised)  # her words carry her signature already
    assert mine.value.status == 409
    signed = await james.agree(theirs)
    assert signed.agreed and set(signed.signers) == {ella.member_id, james.member_id}
    [agreed] = await ella.agreements()
    assert agreed.agreed and agreed.text == "We talk on Sundays when we both can."
    with pytest.raises(UnspokenError) as settled:
        await james.agreements.revise(agreed, "Never mind.")
    assert settled.value.status == 409


async def test_marks_withdrawals_and_goodbye(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    withdrawn = await james.withdraw(await james.promise("I'll call every night"))
    assert withdrawn.state == "withdrawn"
    promise = await james.promise("I'll never keep anything from you again")
    await ella.acknowledge(promise)
    kept = await ella.mark_promise(promise, "kept", note="You told me about Claire.")
    assert kept.state == "kept"
    [_, listed] = await james.promises()
    assert listed.notes == ("You told me about Claire.",)
    await asyncio.sleep(0)
    goodbye = await ella.leave()
    assert goodbye["erased"] is False
    await james.refresh()
    assert [e.text for e in await james.read()] == []
    with pytest.raises(UnspokenError) as read_only:
        await james.write("Please stay")
    assert read_only.value.status == 409
