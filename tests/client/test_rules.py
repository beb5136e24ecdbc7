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
