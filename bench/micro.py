"""Focused micro-benchmarks for one change at a time (seconds, not minutes).

    .venv/bin/python -m bench.micro store   # SqliteStore.append_entry alone, 32 writers
    .venv/bin/python -m bench.micro http    # app + SDK in-process (httpx.ASGITransport)
    .venv/bin/python -m bench.micro server [asyncio|uvloop] [h11|httptools]
                                            # a real uvicorn subprocess: its CPU per append
    .venv/bin/python -m bench.micro streams N [asyncio|uvloop] [h11|httptools]
                                            # RSS per idle live stream (N raw sockets)

Both print appends/s and CPU milliseconds per append (the whole process: in `http` mode that
includes the SDK's sealing, signing and httpx, which no server change touches).
"""

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx

from unspoken.protocol.encoding import new_id
from unspoken.rules import Entry
from unspoken.store import SqliteStore
from unspoken.store.base import NewDevice, Profile

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
WRITERS = 32
PER_WRITER = 60


def _report(what: str, appends: int, wall: float, cpu: float) -> None:
    print(
        f"{what}: {appends} appends in {wall:.2f} s = {appends / wall:.0f}/s, "
        f"CPU {cpu / appends * 1000:.2f} ms per append"
    )


async def store_bench(directory: Path) -> None:
    store = SqliteStore(directory / "micro.db")
    await store.open()
    books = []
    for _ in range(WRITERS):
        nb, member = new_id(), new_id()
        device = NewDevice(new_id(), os.urandom(32), os.urandom(32))
        await store.create_notebook(
            nb, member, device, Profile(device.id, b"\x01" + os.urandom(299), os.urandom(64)),
            NOW,
        )
        books.append((nb, member))

    async def writer(nb: str, member: str) -> None:
        prev = bytes(32)
        for _ in range(PER_WRITER):
            digest = os.urandom(32)
            box = b"\x01" + os.urandom(511)  # a version 1 box: epoch 0
            entry = Entry(new_id(), 1, "dev", prev, digest, box, os.urandom(64))
            await store.append_entry(nb, member, entry, NOW)
            prev = digest

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(writer(nb, m) for nb, m in books))
    _report("store", WRITERS * PER_WRITER, time.perf_counter() - wall, time.process_time() - cpu)
    await store.close()


async def http_bench(directory: Path) -> None:
    from unspoken.app import create_app
    from unspoken.client import api as client_api
    from unspoken.client.notebook import Notebook
    from unspoken.settings import Settings

    app = create_app(Settings(database=directory / "http.db", rate_limits=False))
    transport = httpx.ASGITransport(app=app)
    client_api.httpx.AsyncClient = partial(httpx.AsyncClient, transport=transport)  # type: ignore[misc]
    async with app.router.lifespan_context(app):
        books = [await Notebook.create("http://bench", "A") for _ in range(WRITERS)]

        async def writer(book: Notebook) -> None:
            for n in range(PER_WRITER):
                await book.write(f"entry {n}")

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(writer(book) for book in books))
        _report("http", WRITERS * PER_WRITER, time.perf_counter() - wall, time.process_time() - cpu)
        for book in books:
            await book.close()


_SERVE = """
import sys, uvicorn
from pathlib import Path
from unspoken.app import create_app
from unspoken.settings import Settings
app = create_app(Settings(database=Path(sys.argv[1]), rate_limits=False))
uvicorn.run(app, port=int(sys.argv[2]), log_config=None, access_log=False,
            loop=sys.argv[3], http=sys.argv[4])
"""


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def server_bench(directory: Path, loop: str, http: str) -> None:
    import subprocess

    from unspoken.client.notebook import Notebook

    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(directory / f"{loop}-{http}.db"), str(port), loop, http]
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        books = [await Notebook.create(url, "A") for _ in range(WRITERS)]

        async def writer(book: Notebook) -> None:
            for n in range(PER_WRITER):
                await book.write(f"entry {n}")

        cpu, wall = _server_cpu(server.pid), time.perf_counter()
        await asyncio.gather(*(writer(book) for book in books))
        took, used = time.perf_counter() - wall, _server_cpu(server.pid) - cpu
        _report(f"server {loop}/{http} (server CPU only)", WRITERS * PER_WRITER, took, used)
        for book in books:
            await book.close()
    finally:
        server.terminate()
        server.wait()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def streams_bench(directory: Path, count: int, loop: str, http: str) -> None:
    import resource
    import subprocess

    from unspoken.client.notebook import Notebook

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = 19000 + os.getpid() % 1000
    db = str(directory / f"streams-{loop}-{http}.db")
    server = subprocess.Popen([sys.executable, "-c", _SERVE, db, str(port), loop, http])
    url, sockets = f"http://127.0.0.1:{port}", []
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        book = await Notebook.create(url, "A")
        token, nb = book._api.token, book.id
        request = (
            f"GET /v1/notebooks/{nb}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
        for _ in range(20):  # warm up: the first requests allocate what every one shares
            await book.refresh()
        await asyncio.sleep(1)
        before = _rss_mb(server.pid)
        for n in range(count):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            sockets.append((reader, writer))
            if n % 100 == 99:
                await asyncio.gather(*(r.readuntil(b"\r\n\r\n") for r, _ in sockets[-100:]))
        await asyncio.gather(*(r.readuntil(b"\r\n\r\n") for r, _ in sockets[count // 100 * 100 :]))
        await asyncio.sleep(3)
        after = _rss_mb(server.pid)
        print(
            f"streams {loop}/{http}: {count} idle streams, RSS {before:.0f} -> {after:.0f} MB, "
            f"{(after - before) * 1024 / count:.1f} KB per stream"
        )
        await book.close()
    finally:
        for _, writer in sockets:
            writer.close()
        server.terminate()
        server.wait()


def main() -> None:
    which = sys.argv[1:] or ["store", "http"]
    with tempfile.TemporaryDirectory(prefix="unspoken-micro-") as tmp:
        if which[0] == "streams":
            rest = which[2:] + ["uvloop", "httptools"][len(which[2:]) :]
            asyncio.run(streams_bench(Path(tmp), int(which[1]), rest[0], rest[1]))
            return
        if which[0] == "server":
            loop, http = (
                (which[1:] + ["uvloop", "httptools"])[:2]
                if len(which) > 1
                else ("uvloop", "httptools")
            )
            asyncio.run(server_bench(Path(tmp), loop, http))
            return
        for what in which:
            bench = store_bench if what == "store" else http_bench
            asyncio.run(bench(Path(tmp)))


if __name__ == "__main__":
    main()
