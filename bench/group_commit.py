"""Group commit, measured: appends/s through the SQLite store, grouped and one per COMMIT.

In-process and bounded (about half a minute): for each number of concurrent writers, one
SqliteStore with the default writer (MAX_BATCH writes share a COMMIT, hence one fsync) and one
with max_batch=1 (every write pays its own fsync). Each writer appends a chain of entries to its
own notebook, waiting for each answer like a real client. synchronous=FULL throughout.

    .venv/bin/python -m bench.group_commit      # writes bench/results/group_commit.json
"""

import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from unspoken.protocol.encoding import new_id
from unspoken.rules import Entry
from unspoken.server import writes
from unspoken.store import SqliteStore
from unspoken.store.base import NewDevice, Profile
from unspoken.store.writer import MAX_BATCH

WRITERS = (1, 8, 32, 128)
MODES = ("grouped", "one-per-commit")
SECONDS = 2.0  # per run
REPEATS = 3  # the best of these is kept: other load on the machine only ever slows a run
CIPHERTEXT = 512  # bytes: a short entry, padded and sealed
NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
RESULTS = Path(__file__).parent / "results" / "group_commit.json"


@dataclass(frozen=True)
class Run:
    mode: str
    writers: int
    appends: int
    seconds: float
    appends_per_second: float
    commits: int
    writes_per_commit: float
    p50_ms: float
    p99_ms: float


async def _notebook(store: SqliteStore) -> tuple[str, str]:
    notebook_id, member_id = new_id(), new_id()
    device = NewDevice(new_id(), os.urandom(32), os.urandom(32))
    profile = Profile(device.id, b"\x01" + os.urandom(299), os.urandom(64))
    await store.write(writes.create_notebook(notebook_id, member_id, device, profile, NOW))
    return notebook_id, member_id


async def _writer(
    store: SqliteStore, book: tuple[str, str], until: float, latencies: list[float]
) -> int:
    (notebook_id, member_id), prev, count = book, bytes(32), 0
    while time.perf_counter() < until:
        digest = os.urandom(32)
        box = b"\x01" + os.urandom(CIPHERTEXT - 1)  # a version 1 box: epoch 0
        entry = Entry(new_id(), 1, "dev", prev, digest, box, os.urandom(64))
        began = time.perf_counter()
        await store.write(writes.append_entry(notebook_id, member_id, entry, NOW))
        latencies.append(time.perf_counter() - began)
        prev, count = digest, count + 1
    return count


async def _run(directory: Path, mode: str, writers: int) -> Run:
    batch = MAX_BATCH if mode == "grouped" else 1
    directory.mkdir(exist_ok=True)
    store = SqliteStore(directory / f"{mode}-{writers}.db", max_batch=batch)
    await store.open()
    books = [await _notebook(store) for _ in range(writers)]
    latencies: list[float] = []
    commits_before, began = store.commits, time.perf_counter()
    counts = await asyncio.gather(
        *(_writer(store, book, began + SECONDS, latencies) for book in books)
    )
    took = time.perf_counter() - began
    commits = store.commits - commits_before
    await store.close()
    appends, ms = sum(counts), sorted(x * 1000 for x in latencies)
    return Run(
        mode, writers, appends, round(took, 2), round(appends / took, 1), commits,
        round(appends / max(commits, 1), 1), round(statistics.median(ms), 2),
        round(ms[int(len(ms) * 0.99)], 2),
    )  # fmt: skip


async def _best_runs(directory: Path) -> list[Run]:
    """Every configuration REPEATS times, interleaved so that a burst of outside load hurts
    both modes alike; the best run of each is kept."""
    best: dict[tuple[int, str], Run] = {}
    for repeat in range(REPEATS):
        for writers in WRITERS:
            for mode in MODES:
                run = await _run(directory / f"{repeat}", mode, writers)
                kept = best.get((writers, mode))
                if kept is None or run.appends_per_second > kept.appends_per_second:
                    best[(writers, mode)] = run
    return [best[(writers, mode)] for writers in WRITERS for mode in MODES]


def _fsync_ms(directory: Path, times: int = 50) -> float:
    """What one fsync costs on this disk: the floor under one-write-per-commit."""
    path = directory / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        began = time.perf_counter()
        for _ in range(times):
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        return round((time.perf_counter() - began) / times * 1000, 3)
    finally:
        os.close(fd)


async def main() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="unspoken-group-commit-") as tmp:
        directory = Path(tmp)
        runs = await _best_runs(directory)
        fsync = _fsync_ms(directory)
    return {
        "what": "appends/s through SqliteStore.append_entry, synchronous=FULL, in-process",
        "command": ".venv/bin/python -m bench.group_commit",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "fsync_ms": fsync,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "directory": tempfile.gettempdir(),
        },
        "seconds_per_run": SECONDS,
        "best_of": REPEATS,
        "runs": [asdict(run) for run in runs],
    }


if __name__ == "__main__":
    report = asyncio.run(main())
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    for run in report["runs"]:  # type: ignore[attr-defined]
        print(
            f"{run['mode']:>15} {run['writers']:>4} writers: {run['appends_per_second']:>8} "
            f"appends/s, {run['writes_per_commit']:>6} per commit, p99 {run['p99_ms']} ms"
        )
    print(f"fsync on this disk: {report['machine']['fsync_ms']} ms")  # type: ignore[index]
