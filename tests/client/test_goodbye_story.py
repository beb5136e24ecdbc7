"""The arc of "The Sound of Goodbye", replayed with the SDK against a real server.

Ella asks for time with a note, James answers "I'll be here", she says she is ready, he
promises, she acknowledges, and both agree to "Let's try." — checking what each side sees.
The phrases are taken from the story itself (../shared/seeds, relative to the repo root).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress

import pytest

from unspoken.client import Event, Notebook, UnspokenError

pytestmark = pytest.mark.seeds


@pytest.fixture
def phrases(goodbye_phrases: dict[str, str]) -> dict[str, str]:
    """The story's phrases (tests/conftest.py takes them from the seed, by rule)."""
    return goodbye_phrases


class Watcher:
    """Collects one partner's live events in the background."""

    def __init__(self, notebook: Notebook) -> None:
        self.events: list[Event] = []
        self._task = asyncio.create_task(self._run(notebook.events()))

    async def _run(self, source: AsyncIterator[Event]) -> None:
        async for event in source:
            self.events.append(event)

    async def next(self, kind: str, timeout: float = 10.0) -> Event:
        """The first event of `kind` not yet taken."""

        async def wait() -> Event:
            while True:
                for i, event in enumerate(self.events):
                    if event.kind == kind:
                        return self.events.pop(i)
                await asyncio.sleep(0.02)

        return await asyncio.wait_for(wait(), timeout)

    async def stop(self) -> None:
        self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task


async def test_the_sound_of_goodbye(
    couple: tuple[Notebook, Notebook], phrases: dict[str, str]
) -> None:
    ella, james = couple
    assert phrases["need_time"] == "I need time"
    assert phrases["promise"] == "I'll never keep anything from you again"
    assert phrases["lets_try"] == "Let's try."
    sees_ella, sees_james = Watcher(ella), Watcher(james)  # what each partner's screen receives
    try:
        await _time_and_space(ella, james, sees_ella, sees_james, phrases)
        await _the_promise(ella, james, sees_ella, sees_james, phrases)
        await _lets_try(ella, james, sees_ella, sees_james, phrases)
    finally:
        await sees_ella.stop()
        await sees_james.stop()


async def _time_and_space(
    ella: Notebook,
    james: Notebook,
    sees_ella: Watcher,
    sees_james: Watcher,
    phrases: dict[str, str],
) -> None:
    # She asks for time, with a note; he is told at once, and reads her note.
    await ella.pause(minutes=30, note=phrases["need_time"])
    started = await sees_james.next("pause.started")
    assert started.record["member"] == ella.member_id
    assert james.open_note("pause-note", started.record) == "I need time"
    assert james.pause_state is not None and james.pause_state.by == ella.member_id
    # While it lasts he cannot write, and is told why; the pen (hers) is not the reason.
    await ella.pass_pen()
    with pytest.raises(UnspokenError) as refused:
        await james.write("Please, let's talk")
    assert refused.value.status == 409 and "asked for time" in refused.value.detail
    assert [e.text for e in await james.read()] == []
    # He answers once: "I'll be here".
    await james.be_here(note=phrases["be_here"])
    here = await sees_ella.next("pause.here")
    assert (
        ella.open_note("here-note", here.record) == "Whenever you're ready to talk, I'll be here."
    )
    assert ella.pause_state is not None and ella.pause_state.here
    with pytest.raises(UnspokenError) as twice:
        await james.be_here()
    assert twice.value.status == 409
    # She is ready: the pause ends at once, for both.
    await ella.ready()
    ended = await sees_james.next("pause.ended")
    assert ended.record["reason"] == "ready"
    assert james.pause_state is None and ella.pause_state is None
    await james.write("I didn't know if you would come.")
    assert [e.text for e in await ella.read()] == ["I didn't know if you would come."]


async def _the_promise(
    ella: Notebook,
    james: Notebook,
    sees_ella: Watcher,
    sees_james: Watcher,
    phrases: dict[str, str],
) -> None:
    made = await james.promise(phrases["promise"])
    assert (made.state, made.by, made.to) == ("made", james.member_id, ella.member_id)
    seen = await sees_ella.next("promise.made")
    assert seen.record["promise"] == made.id
    [hers] = await ella.promises()
    assert (hers.text, hers.state) == ("I'll never keep anything from you again", "made")
    acknowledged = await ella.acknowledge(hers)
    assert acknowledged.state == "acknowledged"
    await sees_james.next("promise.acknowledged")
    with pytest.raises(UnspokenError) as late:
        await james.withdraw(made)
    assert late.value.status == 409 and "before it is acknowledged" in late.value.detail
    [his] = await james.promises()
    assert his.state == "acknowledged"
    assert [r["kind"] for r in his.history] == ["promise.made", "promise.acknowledged"]


async def _lets_try(
    ella: Notebook,
    james: Notebook,
    sees_ella: Watcher,
    sees_james: Watcher,
    phrases: dict[str, str],
) -> None:
    proposed = await ella.agree(phrases["lets_try"])
    assert (proposed.text, proposed.agreed, proposed.signers) == (
        "Let's try.",
        False,
        (ella.member_id,),
    )
    await sees_james.next("agreement.proposed")
    [pending] = await james.agreements()
    assert pending.text == "Let's try." and not pending.agreed
    signed = await james.agree(pending)
    assert signed.agreed and set(signed.signers) == {ella.member_id, james.member_id}
    await sees_ella.next("agreement.signed")
    [agreed] = await ella.agreements()
    assert agreed.agreed and agreed.state == "agreed" and agreed.text == "Let's try."
