"""Appends at a set rate, as the live phases make them: the server's CPU per append, thread by
thread (the event loop, the store's writer, its readers), in seconds rather than minutes.

A server that is not busy pays for each append alone: it wakes, answers, commits with a
transaction and an fsync of its own, and goes back to sleep. `bench.micro server` measures
appends sent flat out, which share those costs; this measures them one by one. One raw live
stream per notebook watches (the partner), so each append is also delivered.
"""

import asyncio
import os
import time
from pathlib import Path

from bench.micro_server import serving
from bench.micro_streams import Made, close_all, drain, open_streams, stream_request
from bench.processes import stat_seconds
from unspoken.client.notebook import Notebook


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds so far of each of the process's threads: "event loop" for the main thread,
    else its thread id (Python does not name the OS threads; the busiest other one here is
    the store's writer, the next ones its readers)."""
    used: dict[str, float] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            seconds = stat_seconds(Path(f"/proc/{pid}/task/{tid}/stat"))
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        used["event loop" if tid == str(pid) else tid] = seconds
    return used


async def paced_bench(directory: Path, rate: float, seconds: float, notebooks: int) -> None:
    async with serving(directory / "paced.db", "uvloop", "httptools") as (url, pid):
        gate = asyncio.Semaphore(16)

        async def make(n: int) -> Notebook:
            async with gate:
                return await Notebook.create(url, f"P{n}")

        books = list(await asyncio.gather(*(make(n) for n in range(notebooks))))
        made = [Made(book.id, str(book._api.token)) for book in books]
        port = int(url.rsplit(":", 1)[1])
        sockets = await open_streams(port, [stream_request(book) for book in made])
        drains = [asyncio.create_task(drain(reader)) for reader, _ in sockets]
        for book in books:  # each opens its notebook, as the bench's writers do
            await book.read()
        count = int(rate * seconds)
        latencies: list[float] = []

        async def one(n: int) -> None:
            began = time.perf_counter()
            await books[n % notebooks].write(f"entry {n}")
            latencies.append(time.perf_counter() - began)

        before, started = thread_cpu(pid), time.perf_counter()
        tasks = []
        for n in range(count):
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        await asyncio.sleep(0.3)  # the last deliveries
        after = thread_cpu(pid)
        latencies.sort()
        print(
            f"paced: {count} appends at {rate:.0f}/s over {notebooks} notebooks, "
            f"append p50 {latencies[count // 2] * 1000:.2f} ms, "
            f"p99 {latencies[int(count * 0.99)] * 1000:.2f} ms"
        )
        spent = {t: (after[t] - before.get(t, 0.0)) / count * 1000 for t in after}
        shares = [f"{t} {ms:.2f}" for t, ms in sorted(spent.items(), key=lambda i: -i[1]) if ms]
        total = sum(spent.values())
        print(f"  server CPU per append {total:.2f} ms, by thread: " + ", ".join(shares))
        await close_all(sockets, books, drains)
