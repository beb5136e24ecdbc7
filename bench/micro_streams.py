"""Idle live streams, measured: server RSS per stream and the server's CPU while they idle.

Streams are opened with raw sockets (the client side costs next to nothing), spread over
`notebooks` notebooks (each made through the SDK), so the server holds what a real stream
holds: its request, its subscription, its share of the notebook's fan-out.
"""

import asyncio
import resource
import time
from pathlib import Path
from typing import NamedTuple

import httpx

from bench.micro_server import cpu_seconds, rss_mb, serving
from unspoken.client.notebook import Notebook

SETTLE_SECONDS = 3.0


class Made(NamedTuple):
    id: str
    token: str


async def make_notebooks(url: str, count: int, concurrency: int = 16) -> list[Made]:
    """Notebooks made through the SDK; each one's connection is closed at once (ten thousand
    idle keep-alive connections would cost both sides sockets the streams need)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> Made:
        async with gate:
            book = await Notebook.create(url, f"S{n}")
            await book.close()
            return Made(book.id, str(book._api.token))

    return list(await asyncio.gather(*(one(n) for n in range(count))))


def stream_request(book: Made) -> bytes:
    return (
        f"GET /v1/notebooks/{book.id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {book.token}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()


Socket = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def open_streams(port: int, requests: list[bytes], batch: int = 100) -> list[Socket]:
    """One raw stream per request, `batch` at a time; returns once each has its headers."""
    sockets: list[Socket] = []
    for start in range(0, len(requests), batch):
        opened = []
        for request in requests[start : start + batch]:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            opened.append((reader, writer))
        heads = await asyncio.gather(*(r.readuntil(b"\r\n\r\n") for r, _ in opened))
        if not all(head.startswith(b"HTTP/1.1 200") for head in heads):
            raise RuntimeError(f"a stream was refused: {heads[0][:80]!r}")
        sockets += opened
    return sockets


async def drain(reader: asyncio.StreamReader) -> int:
    """Read a live stream to its end; how many events it carried."""
    events = 0
    while chunk := await reader.read(65536):
        events += chunk.count(b"\nid: ") + chunk.startswith(b"id: ")
    return events


async def close_all(
    sockets: list[Socket], books: list[Notebook], drains: list["asyncio.Task[int]"]
) -> None:
    """The end of a bench that watched with raw streams while notebooks wrote."""
    for _, writer in sockets:
        writer.close()
    for book in books:
        await book.close()
    for task in drains:
        task.cancel()


async def idle_bench(directory: Path, count: int, notebooks: int, idle: float,
                     loop: str, http: str) -> None:  # fmt: skip
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    async with serving(directory / "streams.db", loop, http) as (url, pid):
        books = await make_notebooks(url, min(notebooks, count))
        await _warm_up(url, books[0])
        await asyncio.sleep(1)
        before = rss_mb(pid)
        requests = [stream_request(books[n % len(books)]) for n in range(count)]
        opened = time.process_time(), cpu_seconds(pid)
        sockets = await open_streams(int(url.rsplit(":", 1)[1]), requests)
        server_open = cpu_seconds(pid) - opened[1]
        await asyncio.sleep(SETTLE_SECONDS)
        after = rss_mb(pid)
        cpu, wall = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(idle)
        idle_cpu = (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)
        print(
            f"streams {loop}/{http}: {count} idle streams on {len(books)} notebooks, "
            f"RSS {before:.0f} -> {after:.0f} MB, {(after - before) * 1024 / count:.1f} KB "
            f"per stream; opening them took {server_open / count * 1000:.2f} ms of server CPU "
            f"each; idle server CPU over {idle:.0f} s: {idle_cpu * 100:.1f} %"
        )
        for _, writer in sockets:
            writer.close()


async def _warm_up(url: str, book: Made) -> None:
    """The first requests allocate what every later one shares: not part of a stream's cost."""
    headers = {"Authorization": f"Bearer {book.token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        for _ in range(20):
            (await http.get(f"/v1/notebooks/{book.id}")).raise_for_status()
