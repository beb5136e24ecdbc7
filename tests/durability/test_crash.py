"""kill -9 mid-load: every acknowledged entry survives, once, in order, and streams resume.

Several SDK writers append to several notebooks (one writer per notebook, holding the pen)
while both partners of each watch the live stream. The server is killed with SIGKILL — no
shutdown, no flush — and started again on the same file and the same port, so the clients keep
their URL; their retries (Notebook.retry_window) carry the interrupted writes over the restart.
"""

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from unspoken.client import Entry, Event, Notebook

BOOKS = 3
WRITES = 30  # per notebook
KILL_AFTER = 8  # entries acknowledged in every notebook before the kill
PACE_SECONDS = 0.03
DEADLINE_SECONDS = 120.0


@dataclass
class Couple:
    writer: Notebook  # the creator, who holds the pen
    partner: Notebook
    acked: list[Entry] = field(default_factory=list)
    streams: dict[str, list[Event]] = field(default_factory=dict)
    sessions: list[Notebook] = field(default_factory=list)  # the writer's second session


async def _couple(url: str, n: int) -> Couple:
    james = await Notebook.create(url, name=f"James {n}")
    ella = await Notebook.join(james.invite_link, name=f"Ella {n}")
    await james.approve_partner()
    return Couple(james, ella)


async def _write(couple: Couple, n: int) -> None:
    for line in range(WRITES):
        couple.acked.append(await couple.writer.write(f"notebook {n}, line {line}"))
        # A breath between writes, so the kill lands mid-load however fast the server is.
        await asyncio.sleep(PACE_SECONDS)


async def _watch(notebook: Notebook, seen: list[Event]) -> None:
    async for event in notebook.events():
        seen.append(event)


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Readiness by polling, bounded by a generous deadline (a loaded machine is slow)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def _kill(server: Any) -> None:
    server.process.kill()  # SIGKILL: the process gets no chance to finish anything
    server.process.wait(30)


async def _check_log(couple: Couple) -> list[Entry]:
    """A fresh session of each partner reads the notebook: signatures and chain verify."""
    views = []
    for notebook in (couple.writer, couple.partner):
        fresh = await notebook.session()
        views.append(await fresh.read())
        await fresh.close()
    assert views[0] == views[1]
    read = views[0]
    ids = [e.id for e in read]
    assert len(set(ids)) == len(ids), "an entry is stored twice"
    by_id = {e.id: (e.seq, e.text) for e in read}
    for acked in couple.acked:
        assert by_id.get(acked.id) == (acked.seq, acked.text), "an acknowledged entry was lost"
    seqs = [e.seq for e in couple.acked]
    assert seqs == sorted(seqs), "acknowledged out of order"
    return read


def _check_stream(seen: list[Event], read: list[Entry], head: int) -> None:
    assert [e.seq for e in seen] == list(range(1, head + 1)), "a gap or a duplicate"
    assert [e.entry.id for e in seen if e.entry] == [e.id for e in read]


def _replays(log: str) -> int:
    return len(re.findall(r"POST /v1/notebooks/[^/ ]+/entries 200 ", log))


async def _start_watching(couples: list[Couple]) -> list[asyncio.Future[None]]:
    """Both partners of every notebook watch the live stream, from its first record."""
    watchers = []
    for couple in couples:
        couple.sessions.append(await couple.writer.session())
        watching = {"writer": couple.sessions[-1], "partner": couple.partner}
        for name, notebook in watching.items():
            couple.streams[name] = []
            watchers.append(asyncio.ensure_future(_watch(notebook, couple.streams[name])))
    return watchers


async def _check(couple: Couple) -> None:
    read = await _check_log(couple)
    assert [e.text for e in read] == [e.text for e in couple.acked]  # every write landed
    head = read[-1].seq
    streams = couple.streams.values()
    await _until(lambda: all(s and s[-1].seq >= head for s in streams), "streams to catch up")
    for seen in streams:
        _check_stream(seen, read, head)


async def test_kill_9_loses_no_acknowledged_entry(live_server_factory: Any) -> None:
    server = live_server_factory(log_name="before.log")
    couples = [await _couple(server.url, n) for n in range(BOOKS)]
    watchers = await _start_watching(couples)
    writing = asyncio.gather(*(_write(c, n) for n, c in enumerate(couples)))

    await _until(lambda: all(len(c.acked) >= KILL_AFTER for c in couples), "writes to start")
    _kill(server)
    acked_at_kill = sum(len(c.acked) for c in couples)
    port = int(server.url.rsplit(":", 1)[1])
    # Restart off the event loop, so the writers keep trying while the server is down.
    again = await asyncio.to_thread(
        live_server_factory, database=server.database, log_name="after.log", port=port
    )
    assert again.url == server.url
    await asyncio.wait_for(writing, DEADLINE_SECONDS)

    for couple in couples:
        await _check(couple)
    for watcher in watchers:
        watcher.cancel()
    await asyncio.gather(*watchers, return_exceptions=True)
    retried = sum(c.writer._api.retried for c in couples)
    print(  # visible with -s: what this run looked like
        f"\ncrash test: {acked_at_kill} of {BOOKS * WRITES} entries acknowledged before kill -9, "
        f"{retried} SDK retries, {_replays(again.log())} answered from the log after restart"
    )
    assert retried > 0, "the kill should have interrupted at least one write"
    for couple in couples:
        for notebook in (couple.writer, couple.partner, *couple.sessions):
            await notebook.close()
