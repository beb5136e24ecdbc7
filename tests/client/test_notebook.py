"""The SDK against a real server process: pairing, writing, reading, the pen, the live stream."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import pytest

from unspoken.client import Event, Notebook, TamperError, UnspokenError
from unspoken.protocol.acts import LogDigest


async def test_partners_see_the_same_safety_phrase(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    assert james.safety_phrase == ella.safety_phrase
    assert len(james.safety_phrase.split()) == 8


async def test_the_partner_reads_what_was_written(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    written = await james.write("I never meant for things to end this way")
    entries = await ella.read()
    assert [(e.seq, e.author, e.text) for e in entries] == [
        (written.seq, "James", "I never meant for things to end this way")
    ]
    assert entries[0].written_at.endswith("Z")


async def test_the_pen_passes_and_only_its_holder_writes(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    with pytest.raises(UnspokenError) as refused:
        await ella.write("Nor did I")
    assert refused.value.status == 409
    assert "pen" in refused.value.detail.lower()
    await james.write("I never meant for things to end this way")
    await james.pass_pen()
    await ella.write("Nor did I")
    assert [e.text for e in await james.read()] == [
        "I never meant for things to end this way",
        "Nor did I",
    ]


async def test_a_writer_behind_the_head_catches_up_and_still_appends(
    pair: tuple[Notebook, Notebook], live_server: Any
) -> None:
    james, _ = pair
    await james.write("one")
    james._log.head = bytes(32)  # as if this device had missed the entry above
    james._log.seq = 0
    james._log.digest = LogDigest()
    james._log.entries.clear()
    await james.write("two")
    assert [e.text for e in await james.read()] == ["one", "two"]


async def test_the_writer_keeps_what_the_partner_verifies(pair: tuple[Notebook, Notebook]) -> None:
    """The writer takes its own entry from what it sealed, not by opening it again: the two
    devices must still agree on every entry's text, mark and hash."""
    james, ella = pair
    await james.close_chapter()
    await james.new_chapter("After the bar", mirror=True)
    await james.write("I felt you slipping away")
    await james.pass_pen()
    await ella.refresh()
    await ella.write("You felt me slipping away", mirror=True)
    await james.answer_mirror("got-it")
    await ella.write("I was here all along")
    mine, theirs = await ella.read(), await james.read()
    assert [(e.seq, e.text, e.mirror, e.hash) for e in mine] == [
        (e.seq, e.text, e.mirror, e.hash) for e in theirs
    ]
    assert [e.mirror for e in mine] == [False, True, False]
    assert ella._log.head == james._log.head == mine[-1].hash


async def test_a_retried_append_is_stored_once(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    entry = await james.write("I thought I could handle it")
    record = (await james._api.call("GET", f"/v1/notebooks/{james.id}/records?after=0"))[1]
    sent = next(r for r in record["records"] if r["kind"] == "entry")
    body = {k: sent[k] for k in ("id", "chapter", "prev", "ct", "sig")}
    status, again = await james._api.call("POST", f"/v1/notebooks/{james.id}/entries", body)
    assert status == 200
    assert again["seq"] == entry.seq
    assert [e.text for e in await ella.read()] == ["I thought I could handle it"]


async def test_the_live_stream_delivers_and_resumes(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    seen: list[Event] = []

    async def listen(count: int) -> None:
        async with aclosing(ella.events()) as stream:
            async for event in stream:
                seen.append(event)
                if sum(e.kind == "entry" for e in seen) >= count:
                    return

    listener = asyncio.create_task(listen(1))
    await james.write("first")
    await asyncio.wait_for(listener, 10)
    await james.write("second")  # written while ella is not listening
    await james.write("third")
    await asyncio.wait_for(listen(3), 10)  # a new connection resumes after the last seq seen
    entries = [e.entry.text for e in seen if e.entry]
    assert entries == ["first", "second", "third"]
    seqs = [e.seq for e in seen]
    assert seqs == sorted(set(seqs))


async def _first_entry(stream: AsyncIterator[Event]) -> str:
    async for event in stream:
        if event.entry is not None:
            return event.entry.text
    raise AssertionError("the stream ended")


async def test_the_stream_gives_out_what_a_call_took_first(pair: tuple[Notebook, Notebook]) -> None:
    """A record the device took through a read or its own act, before its stream got there,
    still comes out of the stream, once and in its place."""
    james, ella = pair
    async with aclosing(ella.events()) as stream:
        opened = asyncio.create_task(_first_entry(stream))
        await james.write("first")
        assert await asyncio.wait_for(opened, 10) == "first"  # the stream is open
        written = await james.write("second")
        await ella.read()  # the log takes "second" while nobody reads the stream
        await ella.ask_for_pen()  # and her own knock, caught up by the act itself
        second = await asyncio.wait_for(anext(stream), 10)
        knock = await asyncio.wait_for(anext(stream), 10)
    assert second.seq == written.seq and second.entry is not None
    assert second.entry.text == "second"
    assert (knock.seq, knock.kind, knock.signed) == (written.seq + 1, "pen.asked", True)


async def test_a_key_swapped_by_the_server_is_caught(live_server: Any) -> None:
    james = await Notebook.create(live_server.url, name="James")
    mallory = await Notebook.create(live_server.url, name="Mallory")  # a key the link never saw
    ella = await Notebook.join(james.invite_link, name="Ella")
    live_server.swap_device_key(ella.member_id, mallory._device.public)
    with pytest.raises(TamperError):
        await james.approve_partner()
    for notebook in (james, mallory, ella):
        await notebook.close()


async def test_a_used_invite_link_is_refused(live_server: Any) -> None:
    james = await Notebook.create(live_server.url, name="James")
    link = james.invite_link
    ella = await Notebook.join(link, name="Ella")
    with pytest.raises(UnspokenError) as refused:
        await Notebook.join(link, name="Claire")
    assert refused.value.status == 410
    await james.close()
    await ella.close()


async def test_an_unknown_invite_link_is_refused(live_server: Any) -> None:
    with pytest.raises(UnspokenError) as refused:
        await Notebook.join(f"{live_server.url}/join/{'A' * 22}#{'A' * 43}", name="Claire")
    assert refused.value.status == 404


async def test_text_that_is_not_valid_unicode_is_refused_before_anything_is_sent(
    couple: tuple[Notebook, Notebook], live_server: Any
) -> None:
    ella, _ = couple
    before = (await ella._calls.get("/records?after=0&limit=500"))["head_seq"]
    with pytest.raises(ValueError, match="not valid Unicode") as caught:
        await ella.write("I never meant \ud800")
    assert not isinstance(caught.value, UnicodeEncodeError)
    with pytest.raises(ValueError, match="not valid Unicode"):
        await ella.promise("I'll never keep \udfff from you again")
    with pytest.raises(ValueError, match="not valid Unicode"):
        await Notebook.create(live_server.url, name="Ella\ud800")
    assert (await ella._calls.get("/records?after=0&limit=500"))["head_seq"] == before
