"""The SDK writes and reads ink (docs/protocol.md, "Ink") against a real server process: lines
written by hand, their transcript, the strokes watched as they form, and the limits."""

import asyncio
from contextlib import aclosing
from typing import Any

import pytest

from unspoken.client import Event, Notebook
from unspoken.protocol import ink

# "hi" as a finger leaves it: (x, y, t) with no pressure, then a pen's (x, y, t, pressure).
HI: list[list[tuple[float, ...]]] = [
    [(120.4, 310, 0), (124, 240.6, 16.2), (126, 330, 33), (149, 290, 50)],
    [(171, 262, 480, 0.5), (172, 261, 496, 1.0)],
]
AS_WRITTEN = (
    ((120, 310, 0, 128), (124, 241, 16, 128), (126, 330, 33, 128), (149, 290, 50, 128)),
    ((171, 262, 480, 128), (172, 261, 496, 255)),
)


async def _head(notebook: Notebook) -> int:
    head: int = (await notebook._calls.get("/records?after=0&limit=500"))["head_seq"]
    return head


async def test_a_line_written_by_hand_reaches_the_partner_as_written(
    pair: tuple[Notebook, Notebook],
) -> None:
    james, ella = pair
    written = await james.write_ink(HI, text="hi")
    await james.write("And typed beside it")
    assert (written.text, written.ink) == ("hi", AS_WRITTEN)
    by_hand, typed = await ella.read()
    assert (by_hand.author, by_hand.text, by_hand.ink) == ("James", "hi", AS_WRITTEN)
    assert (typed.text, typed.ink) == ("And typed beside it", None)
    assert by_hand.hash == written.hash


async def test_a_line_by_hand_needs_no_transcript(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    await james.write_ink([[(0, 0, 0), (1000, 20000, 86_400_000, 0)]])
    [entry] = await ella.read()
    assert (entry.text, entry.ink) == ("", ((((0, 0, 0, 128), (1000, 20000, 86_400_000, 0)),)))


BEYOND: list[tuple[Any, str]] = [
    ([], "at least one stroke"),
    ([[]], "not a list of points"),
    ([[(0, 0)]], "a point is"),
    ([[(1001, 0, 0)]], "x is not 0..1000"),
    ([[(0, -1, 0)]], "y is not"),
    ([[(0, 0, 10), (0, 0, 9)]], "back in time"),
    ([[(0, 0, 0, 1.5)]], "a pressure is a number from 0 to 1"),
    ([[(0, float("nan"), 0)]], "finite"),
    ([[("1", 0, 0)]], "x is a number"),
    ([[(0, 0, 0)]] * (ink.MAX_STROKES + 1), "too many strokes"),
    ([[(5, 5, n) for n in range(ink.MAX_POINTS + 1)]], "too many points"),
    (
        [[(0, 0, 63 * n, 0) if n % 2 else (1000, 20000, 63 * n, 1) for n in range(5001)]],
        "too large",
    ),
]


async def test_strokes_beyond_the_limits_are_refused_before_anything_is_sent(
    pair: tuple[Notebook, Notebook],
) -> None:
    james, _ = pair
    before = await _head(james)
    for strokes, why in BEYOND:
        with pytest.raises(ValueError, match=why):
            await james.write_ink(strokes, text="hi")
    assert await _head(james) == before


async def _draft(notebook: Notebook, heard: asyncio.Event) -> Event:
    async with aclosing(notebook.events()) as stream:
        async for event in stream:
            heard.set()
            if event.kind == "draft":
                return event
    raise AssertionError("the stream ended")


async def test_the_partner_watches_the_strokes_form(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    heard = asyncio.Event()
    watching = asyncio.create_task(_draft(ella, heard))
    await ella.ask_for_pen()  # a record after she began listening: her stream is open
    await asyncio.wait_for(heard.wait(), 10)
    await james.send_draft("", HI[:1])
    event = await asyncio.wait_for(watching, 10)
    assert event.draft is not None
    assert (event.draft.author, event.draft.text, event.draft.ink) == ("James", "", AS_WRITTEN[:1])
    with pytest.raises(ValueError, match="x is not"):
        await james.send_draft("", [[(2000, 0, 0)]])


async def test_a_typed_draft_has_no_ink(pair: tuple[Notebook, Notebook]) -> None:
    james, ella = pair
    heard = asyncio.Event()
    watching = asyncio.create_task(_draft(ella, heard))
    await ella.ask_for_pen()
    await asyncio.wait_for(heard.wait(), 10)
    await james.send_draft("I never")
    event = await asyncio.wait_for(watching, 10)
    assert event.draft is not None and (event.draft.text, event.draft.ink) == ("I never", None)
