"""Group commit never answers a write that is not durable, and never numbers twice."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from store.helpers import NOW, chain, make_notebook
from unspoken.server import reads, writes
from unspoken.settings import SqliteTuning
from unspoken.store import SqliteStore
from unspoken.store.sqlite import _engine, _pragmas
from unspoken.store.writer import Writer


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[tuple[Writer, Path]]:
    engine = _engine(tmp_path / "w.db", "BEGIN IMMEDIATE", 1, _pragmas(SqliteTuning(), True))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE words (text TEXT)")
        conn.commit()
    running = Writer(engine)
    running.start()
    yield running, tmp_path / "w.db"
    await asyncio.to_thread(running.stop)
    engine.dispose()


def _insert(text: str) -> Callable[[Connection], None]:
    def insert(conn: Connection) -> None:
        conn.exec_driver_sql("INSERT INTO words VALUES (?)", (text,))

    return insert


def _lose_the_transaction(conn: Connection) -> None:
    """What SQLite does itself on SQLITE_FULL or an I/O error: roll everything back."""
    conn.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
    raise OSError("disk full")


async def test_a_batch_whose_transaction_is_lost_answers_nobody_and_keeps_nothing(
    writer: tuple[Writer, Path],
) -> None:
    running, path = writer
    held, release = threading.Event(), threading.Event()

    def hold(_conn: Connection) -> None:  # keeps the writer busy while the batch queues up
        held.set()
        release.wait(30)

    first = asyncio.ensure_future(running.submit(hold))
    assert await asyncio.to_thread(held.wait, 30)
    batch = [_insert("before"), _lose_the_transaction, _insert("after")]
    answers = asyncio.gather(*(running.submit(fn) for fn in batch), return_exceptions=True)
    await asyncio.sleep(0)  # let all three reach the queue: they form one batch
    release.set()
    await first
    results: list[Any] = await answers
    assert all(isinstance(r, Exception) for r in results), results
    with closing(sqlite3.connect(path)) as plain:  # the writer holds the engine's connection
        assert plain.execute("SELECT count(*) FROM words").fetchone()[0] == 0


async def test_concurrent_appends_and_their_retries_number_every_entry_once(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "unspoken.db")
    await store.open()
    books = [await make_notebook(store) for _ in range(4)]
    chains = [chain(25) for _ in books]
    calls = [  # each entry sent three times, interleaved across notebooks, all at once
        store.write(writes.append_entry(nb, member, entry, NOW))
        for index in range(25)
        for (nb, member), entries in zip(books, chains, strict=True)
        for entry in [entries[index]] * 3
    ]
    answers = await asyncio.gather(*calls)
    for (nb, _member), entries in zip(books, chains, strict=True):
        page = await reads.page(store, nb, 0, 500)
        assert [r.seq for r in page.records] == list(range(1, 27))
        assert [r.entry.id for r in page.records if r.entry] == [e.id for e in entries]
    by_entry: dict[int, set[int]] = {}
    for call_index, answer in enumerate(answers):
        by_entry.setdefault(call_index // 3, set()).add(answer.value.seq)
    assert all(len(seqs) == 1 for seqs in by_entry.values())  # a retry answers the original
    assert sum(not a.value.replayed for a in answers) == 100
    await store.close()
