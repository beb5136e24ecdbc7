"""Couples of SDK clients in one client process: set up, watch live, write, measure."""

import asyncio
import gc
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from unspoken.client import Notebook

FILLER = "I never meant for things to end this way. " * 4  # ~170 characters, one box


@dataclass
class Couple:
    writer: Notebook
    reader: Notebook
    watching: asyncio.Event = field(default_factory=asyncio.Event)
    busy: bool = False


@contextmanager
def _uncollected() -> Iterator[None]:
    """No cyclic garbage collection in this process during a timed phase. Each real device is
    a process of its own; this one holds a thousand or more, and each of its collections would
    stall all of them at once (7–350 ms here), a pause no real device has, which would be
    counted as the server's delivery time. A phase is seconds long: its garbage waits."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Fleet:
    """The couples of one client process; creators write through one server, partners
    watch through another (the same one when only one runs)."""

    def __init__(self, worker: int, write_url: str, watch_url: str) -> None:
        self.worker, self.write_url, self.watch_url = worker, write_url, watch_url
        self.couples: list[Couple] = []
        self._watchers: list[asyncio.Task[None]] = []
        self._sent: dict[str, float] = {}  # tag -> when the write began
        self._delivery_ms: list[float] = []
        self._tags = itertools.count()

    async def setup(self, couples: int, concurrency: int = 64) -> dict[str, Any]:
        gate, start = asyncio.Semaphore(concurrency), time.perf_counter()

        async def pair(n: int) -> Couple:
            async with gate:
                writer = await Notebook.create(self.write_url, name=f"W{self.worker}.{n}")
                link = writer.invite_link.replace(self.write_url, self.watch_url)
                reader = await Notebook.join(link, name=f"R{self.worker}.{n}")
                await writer.approve_partner()
                return Couple(writer, reader)

        self.couples += await asyncio.gather(*(pair(n) for n in range(couples)))
        return {"seconds": time.perf_counter() - start}

    async def watch(self, concurrency: int = 256) -> dict[str, Any]:
        """Every partner opens its live stream; returns once each has heard its replay."""
        start = time.perf_counter()
        gate = asyncio.Semaphore(concurrency)

        async def one(couple: Couple) -> None:
            async with gate:
                self._watchers.append(asyncio.create_task(self._watch(couple)))
                await couple.watching.wait()

        await asyncio.gather(*(one(c) for c in self.couples))

        # Every creator opens its notebook as an app does (catches up with the log), so that a
        # timed write is never also its notebook's first read.
        async def opened(couple: Couple) -> None:
            async with gate:
                await couple.writer.read()

        await asyncio.gather(*(opened(c) for c in self.couples))
        # What setting up made (every couple's keys, clients, connections) lives until the end:
        # out of the collector's reach, so that the load generator's full collections, which
        # would walk all of it, do not stall the timed phases (docs/performance.md).
        gc.collect()
        gc.freeze()
        return {"seconds": time.perf_counter() - start, "streams": len(self._watchers)}

    async def _watch(self, couple: Couple) -> None:
        async for event in couple.reader.events():
            couple.watching.set()
            if event.entry is not None:
                sent = self._sent.pop(event.entry.text.split(" ", 1)[0], None)
                if sent is not None:
                    self._delivery_ms.append((time.perf_counter() - sent) * 1000)

    async def _write(self, couple: Couple, appends: list[float], errors: list[str]) -> None:
        couple.busy = True
        tag = f"{self.worker}.{next(self._tags)}"
        start = time.perf_counter()
        self._sent[tag] = start
        try:
            await couple.writer.write(f"{tag} {FILLER}")
            appends.append((time.perf_counter() - start) * 1000)
        except Exception as exc:  # counted and reported, never hidden
            errors.append(f"{type(exc).__name__}: {str(exc)[:80]}")
            self._sent.pop(tag, None)
        finally:
            couple.busy = False

    async def live(self, rate: float, seconds: float) -> dict[str, Any]:
        """Open-loop writes at `rate` per second, spread round-robin over the couples."""
        with _uncollected():
            return await self._live(rate, seconds)

    async def _live(self, rate: float, seconds: float) -> dict[str, Any]:
        appends: list[float] = []
        errors: list[str] = []
        self._delivery_ms = []
        tasks, ring = set(), itertools.cycle(self.couples)
        loop = asyncio.get_running_loop()
        start = next_at = loop.time()
        skipped = 0
        while (now := loop.time()) < start + seconds:
            if now < next_at:
                await asyncio.sleep(next_at - now)
            next_at += 1 / rate
            couple = next(ring)
            if couple.busy:
                skipped += 1
                continue
            # Busy from now, not from when the task first runs: a client that falls behind
            # schedule does not yield here, and would start a second write for this couple.
            couple.busy = True
            task = asyncio.create_task(self._write(couple, appends, errors))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        await self._drain()
        return self._result(appends, errors, loop.time() - start, skipped=skipped)

    async def blast(self, writers: int, seconds: float) -> dict[str, Any]:
        """Closed loop: `writers` couples each append again as soon as the last is durable."""
        with _uncollected():
            return await self._blast(writers, seconds)

    async def _blast(self, writers: int, seconds: float) -> dict[str, Any]:
        appends: list[float] = []
        errors: list[str] = []
        self._delivery_ms = []
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def keep_writing(couple: Couple) -> None:
            while loop.time() < start + seconds:
                await self._write(couple, appends, errors)

        await asyncio.gather(*(keep_writing(c) for c in self.couples[:writers]))
        elapsed = loop.time() - start
        await self._drain()
        return self._result(appends, errors, elapsed)

    async def _drain(self, seconds: float = 5.0) -> None:
        """Give the last deliveries a moment to arrive."""
        deadline = time.perf_counter() + seconds
        while self._sent and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)

    def _result(
        self, appends: list[float], errors: list[str], elapsed: float, **extra: Any
    ) -> dict[str, Any]:
        lost = len(self._sent)
        self._sent.clear()
        return {
            "append_ms": appends,
            "delivery_ms": list(self._delivery_ms),
            "errors": errors,
            "undelivered": lost,
            "seconds": elapsed,
            **extra,
        }

    async def close(self) -> None:
        for task in self._watchers:
            task.cancel()
        await asyncio.gather(*self._watchers, return_exceptions=True)
        for couple in self.couples:
            await couple.writer.close()
            await couple.reader.close()
