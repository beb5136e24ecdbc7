"""SqliteStore on a real file: what only SQLite has (group commit, pragmas, the file itself).

Everything every backend must do is in test_contract.py, which runs on SQLite too.
"""

import asyncio
import hashlib
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.helpers import NOW, chain, make_notebook
from unspoken.protocol.encoding import b64encode
from unspoken.server import reads, writes
from unspoken.store import SqliteStore


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "unspoken.db")
    await opened.open()
    yield opened
    await opened.close()


async def test_fifty_concurrent_appends_get_gapless_seqs_in_few_commits(store: SqliteStore) -> None:
    notebook_id, member_id = await make_notebook(store)
    before = store.commits
    entries = chain(50)
    results = await asyncio.gather(
        *(store.write(writes.append_entry(notebook_id, member_id, entry, NOW)) for entry in entries)
    )
    assert [r.value.seq for r in results] == list(range(2, 52))
    assert store.commits - before < 50  # writes shared transactions


async def test_tokens_are_stored_only_as_hashes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "unspoken.db")
    await store.open()
    token = os.urandom(32)
    await make_notebook(store, token)
    found = await reads.device_for_token(store, hashlib.sha256(token).digest())
    assert found is not None
    await store.close()
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert token not in files and b64encode(token).encode() not in files


async def test_durability_settings(store: SqliteStore) -> None:
    with sqlite3.connect(store.path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    engine = store._read_engine  # the connection settings themselves
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
