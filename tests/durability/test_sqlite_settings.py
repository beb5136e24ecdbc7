"""Every SQLite connection — the writer's and each reader's — runs WAL with synchronous=FULL."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from unspoken.settings import SqliteTuning
from unspoken.store import SqliteStore
from unspoken.store.sqlite import READERS, NotDurable, _configure, _pragmas
from unspoken.store.work import Committed, Work

FULL = 2
Pragmas = tuple[str, int, int, int]


def _pragmas_of(conn: Connection) -> Pragmas:
    def one(name: str) -> int | str:
        value: int | str = conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
        return value

    return (str(one("journal_mode")), int(one("synchronous")), int(one("busy_timeout")), id(conn))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "unspoken.db", SqliteTuning(busy_timeout_ms=1234))
    await opened.open()
    yield opened
    await opened.close()


async def test_the_writer_connection_is_wal_and_synchronous_full(store: SqliteStore) -> None:
    written = await store.write(Work("pragmas", lambda conn: Committed(_pragmas_of(conn))))
    mode, synchronous, busy, _ = written.value
    assert (mode, synchronous, busy) == ("wal", FULL, 1234)


async def test_every_reader_connection_is_wal_and_synchronous_full(store: SqliteStore) -> None:
    together = threading.Barrier(READERS, timeout=30)  # holds all readers open at once

    def check(conn: Connection) -> Pragmas:
        together.wait()
        return _pragmas_of(conn)

    found = await asyncio.gather(*(store.read(check) for _ in range(READERS)))
    assert len({conn for *_, conn in found}) == READERS
    assert {(mode, synchronous, busy) for mode, synchronous, busy, _ in found} == {
        ("wal", FULL, 1234)
    }


def test_a_connection_that_cannot_run_wal_is_refused() -> None:
    in_memory = sqlite3.connect(":memory:")  # journal_mode=WAL is silently ignored here
    try:
        with pytest.raises(NotDurable, match="journal_mode=memory"):
            _configure(in_memory, _pragmas(SqliteTuning(), writer=True))
    finally:
        in_memory.close()
