"""The one client pattern both servers are driven with: couples that write and watch.

A `Couple` is anything that can `send` a line as its writer and `follow` the partner's live
view, calling back with each line the partner receives. The measurements below never know
which server they are talking to.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

from bench.stats import summary

FILLER = "I never meant for things to end this way. " * 4  # ~170 characters, as make bench


class Couple(Protocol):
    async def send(self, text: str) -> None: ...

    async def follow(self, heard: Callable[[str], None], ready: asyncio.Event) -> None: ...

    async def close(self) -> None: ...


class Watch:
    """The partners' live views: each line heard is matched to when its write began."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.delivery_ms: list[float] = []
        self._tasks: list[asyncio.Task[None]] = []

    def heard(self, text: str) -> None:
        began = self.sent.pop(text.split(" ", 1)[0], None)
        if began is not None:
            self.delivery_ms.append((time.perf_counter() - began) * 1000)

    async def start(self, couples: list[Any]) -> None:
        for couple in couples:
            ready = asyncio.Event()
            self._tasks.append(asyncio.create_task(couple.follow(self.heard, ready)))
            await ready.wait()

    async def drain(self, seconds: float = 5.0) -> int:
        deadline = time.perf_counter() + seconds
        while self.sent and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        lost = len(self.sent)
        self.sent.clear()
        return lost

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def idle_delivery(couple: Any, entries: int, interval_s: float) -> dict[str, Any]:
    """One couple alone: `entries` lines `interval_s` apart, each timed write → heard."""
    watch = Watch()
    await watch.start([couple])
    for n in range(5):  # warm-up, not counted: connections made, code paths taken
        watch.sent[f"w{n}"] = time.perf_counter()
        await couple.send(f"w{n} {FILLER}")
    await watch.drain()
    watch.delivery_ms.clear()
    errors = 0
    loop = asyncio.get_running_loop()
    next_at = loop.time()
    for n in range(entries):
        if (wait := next_at - loop.time()) > 0:
            await asyncio.sleep(wait)
        next_at += interval_s
        tag = f"i{n}"
        watch.sent[tag] = time.perf_counter()
        try:
            await couple.send(f"{tag} {FILLER}")
        except Exception:  # counted, never hidden
            errors += 1
            watch.sent.pop(tag, None)
    lost = await watch.drain()
    await watch.stop()
    return {**summary(watch.delivery_ms), "errors": errors, "undelivered": lost}


async def throughput(couples: list[Any], seconds: float) -> dict[str, Any]:
    """Each couple's writer appends again as soon as the last is durable; partners watch."""
    watch = Watch()
    await watch.start(couples)
    counts = [0] * len(couples)
    errors = 0
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def keep_writing(index: int, couple: Any) -> None:
        nonlocal errors
        n = 0
        while loop.time() < start + seconds:
            tag = f"t{index}.{n}"
            n += 1
            try:
                await couple.send(f"{tag} {FILLER}")
                counts[index] += 1
            except Exception:  # counted, never hidden
                errors += 1

    await asyncio.gather(*(keep_writing(i, c) for i, c in enumerate(couples)))
    elapsed = loop.time() - start
    await watch.stop()
    appends = sum(counts)
    return {"appends": appends, "seconds": elapsed, "per_second": appends / elapsed,
            "errors": errors}  # fmt: skip
