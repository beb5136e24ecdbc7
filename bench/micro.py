"""Focused micro-benchmarks for one change at a time (seconds, not minutes).

    .venv/bin/python -m bench.micro store    # SqliteStore.append_entry alone, 32 writers
    .venv/bin/python -m bench.micro http     # the SDK's own CPU per append, real server
    .venv/bin/python -m bench.micro server [--watchers K]
        # a real uvicorn subprocess: ITS CPU per append; K raw live streams per notebook
    .venv/bin/python -m bench.micro streams N [--notebooks M] [--idle S]
        # N idle live streams (raw sockets) over M notebooks: RSS per stream, idle CPU
    .venv/bin/python -m bench.micro paced [--rate R] [--seconds S] [--notebooks M]
        # appends at R/s over M notebooks, one stream each: server CPU per append, by thread

`--loop asyncio|uvloop` and `--http h11|httptools` pick the server's event loop and HTTP
parser. `store` reports the whole process's CPU, `http` the SDK's alone (sealing, signing and its
HTTP client, in the process that writes); `server`, `streams` and `paced`
report the server process's alone, from /proc (`paced` thread by thread).
"""

import argparse
import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.micro_paced import paced_bench
from bench.micro_server import cpu_seconds, serving
from bench.micro_streams import Made, close_all, drain, idle_bench, open_streams, stream_request
from unspoken.protocol.encoding import new_id
from unspoken.rules import Entry
from unspoken.server import writes
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


async def store_bench(directory: Path, writers: int, per_writer: int) -> None:
    store = SqliteStore(directory / "micro.db")
    await store.open()
    books = []
    for _ in range(writers):
        nb, member = new_id(), new_id()
        device = NewDevice(new_id(), os.urandom(32), os.urandom(32))
        await store.write(
            writes.create_notebook(
                nb,
                member,
                device,
                Profile(device.id, b"\x01" + os.urandom(299), os.urandom(64)),
                NOW,
            )
        )
        books.append((nb, member))

    async def writer(nb: str, member: str) -> None:
        prev = bytes(32)
        for _ in range(per_writer):
            digest = os.urandom(32)
            box = b"\x01" + os.urandom(511)  # a version 1 box: epoch 0
            entry = Entry(new_id(), 1, "dev", prev, digest, box, os.urandom(64))
            await store.write(writes.append_entry(nb, member, entry, NOW))
            prev = digest

    cpu, wall, commits = time.process_time(), time.perf_counter(), store.commits
    await asyncio.gather(*(writer(nb, m) for nb, m in books))
    took, used = time.perf_counter() - wall, time.process_time() - cpu
    _report("store", writers * per_writer, took, used)
    made = max(1, store.commits - commits)
    print(f"  {made} commits: {writers * per_writer / made:.1f} appends per commit")
    await store.close()


async def http_bench(directory: Path, loop: str, http: str) -> None:
    """The SDK's own CPU per append (sealing, signing, its HTTP client), against a real server."""
    from unspoken.client.notebook import Notebook

    async with serving(directory / "http.db", loop, http) as (url, _pid):
        books = [await Notebook.create(url, "A") for _ in range(WRITERS)]

        async def writer(book: Notebook) -> None:
            for n in range(PER_WRITER):
                await book.write(f"entry {n}")

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(writer(book) for book in books))
        _report("sdk", WRITERS * PER_WRITER, time.perf_counter() - wall, time.process_time() - cpu)
        for book in books:
            await book.close()


async def server_bench(directory: Path, loop: str, http: str, watchers: int) -> None:
    from unspoken.client.notebook import Notebook

    async with serving(directory / "server.db", loop, http) as (url, pid):
        books = [await Notebook.create(url, "A") for _ in range(WRITERS)]
        made = [Made(book.id, str(book._api.token)) for book in books]
        requests = [stream_request(book) for book in made for _ in range(watchers)]
        sockets = await open_streams(int(url.rsplit(":", 1)[1]), requests)
        drains = [asyncio.create_task(drain(reader)) for reader, _ in sockets]

        async def writer(book: Notebook) -> None:
            for n in range(PER_WRITER):
                await book.write(f"entry {n}")

        cpu, wall = cpu_seconds(pid), time.perf_counter()
        await asyncio.gather(*(writer(book) for book in books))
        await asyncio.sleep(0.5 if watchers else 0)  # the last deliveries
        took, used = time.perf_counter() - wall, cpu_seconds(pid) - cpu
        what = f"server {loop}/{http}, {watchers} stream(s) per notebook (server CPU only)"
        _report(what, WRITERS * PER_WRITER, took, used)
        await close_all(sockets, books, drains)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.micro",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=["store", "http", "server", "streams", "paced"])
    parser.add_argument("count", type=int, nargs="?", default=1000, help="streams: how many")
    parser.add_argument("--notebooks", type=int, default=None, help="streams: over how many")
    parser.add_argument("--idle", type=float, default=31.0, help="streams: seconds idle")
    parser.add_argument("--watchers", type=int, default=0, help="server: streams per notebook")
    parser.add_argument("--writers", type=int, default=WRITERS, help="store: concurrent")
    parser.add_argument("--appends", type=int, default=PER_WRITER, help="store: per writer")
    parser.add_argument("--rate", type=float, default=200.0, help="paced: appends per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="paced: for how long")
    parser.add_argument("--loop", default="uvloop", choices=["asyncio", "uvloop"])
    parser.add_argument("--http", default="httptools", choices=["h11", "httptools"])
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="unspoken-micro-") as tmp:
        directory = Path(tmp)
        if args.what == "streams":
            notebooks = args.notebooks or args.count
            bench = idle_bench(directory, args.count, notebooks, args.idle, args.loop, args.http)
        elif args.what == "paced":
            bench = paced_bench(directory, args.rate, args.seconds, args.notebooks or 1000)
        elif args.what == "server":
            bench = server_bench(directory, args.loop, args.http, args.watchers)
        elif args.what == "store":
            bench = store_bench(directory, args.writers, args.appends)
        else:
            bench = http_bench(directory, args.loop, args.http)
        asyncio.run(bench)


if __name__ == "__main__":
    main()
