"""SqliteStore on a real file: group commit, idempotency, durability settings, schema."""

import asyncio
import hashlib
import os
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from unspoken.protocol.encoding import b64encode, new_id
from unspoken.rules import Entry, RuleViolation
from unspoken.store import SqliteStore
from unspoken.store.base import NewDevice, Profile
from unspoken.store.tables import metadata

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "unspoken.db")
    await opened.open()
    yield opened
    await opened.close()


async def make_notebook(store: SqliteStore, token: bytes = b"") -> tuple[str, str]:
    notebook_id, member_id = new_id(), new_id()
    token_hash = hashlib.sha256(token or os.urandom(32)).digest()
    device = NewDevice(new_id(), os.urandom(32), token_hash)
    profile = Profile(device.id, b"\x01" + os.urandom(300), os.urandom(64))
    await store.create_notebook(notebook_id, member_id, device, profile, NOW)
    return notebook_id, member_id


def chain(count: int, device: str = "dev", start: bytes = bytes(32)) -> list[Entry]:
    entries, prev = [], start
    for _ in range(count):
        digest = os.urandom(32)
        entries.append(Entry(new_id(), 1, device, prev, digest, os.urandom(400), os.urandom(64)))
        prev = digest
    return entries


async def test_fifty_concurrent_appends_get_gapless_seqs_in_few_commits(store: SqliteStore) -> None:
    notebook_id, member_id = await make_notebook(store)
    before = store.commits
    entries = chain(50)
    results = await asyncio.gather(
        *(store.append_entry(notebook_id, member_id, entry, NOW) for entry in entries)
    )
    assert [r.value.seq for r in results] == list(range(2, 52))
    assert store.commits - before < 50  # writes shared transactions
    stored = await store.records(notebook_id, 0, 500)
    assert [r.seq for r in stored] == list(range(1, 52))
    assert [r.entry.id for r in stored[1:] if r.entry] == [e.id for e in entries]


async def test_a_refused_write_rolls_back_only_itself(store: SqliteStore) -> None:
    notebook_id, member_id = await make_notebook(store)
    good = chain(3)
    bad = chain(1, start=b"\x09" * 32)[0]
    calls = [store.append_entry(notebook_id, member_id, e, NOW) for e in (good[0], bad, *good[1:])]
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(results[1], RuleViolation) and results[1].status == 409
    assert [r.value.seq for r in results if not isinstance(r, BaseException)] == [2, 3, 4]
    assert (await store.page(notebook_id, 0, 10)).head_seq == 4


async def test_concurrent_appends_across_notebooks(store: SqliteStore) -> None:
    books = [await make_notebook(store) for _ in range(5)]
    chains = [chain(10) for _ in books]
    calls = [
        store.append_entry(nb, member, entry, NOW)
        for index in range(10)
        for (nb, member), entries in zip(books, chains, strict=True)
        for entry in entries[index : index + 1]
    ]
    await asyncio.gather(*calls)
    for nb, _member in books:
        page = await store.page(nb, 0, 100)
        assert [r.seq for r in page.records] == list(range(1, 12)) and page.head_seq == 11


async def test_a_retried_append_is_stored_once(store: SqliteStore) -> None:
    notebook_id, member_id = await make_notebook(store)
    entry = chain(1)[0]
    first = await store.append_entry(notebook_id, member_id, entry, NOW)
    again = await store.append_entry(notebook_id, member_id, entry, NOW)
    assert again.value.replayed and not first.value.replayed and again.records == ()
    assert (again.value.seq, again.value.hash, again.value.at) == (
        first.value.seq,
        first.value.hash,
        first.value.at,
    )
    assert len(await store.records(notebook_id, 0, 10)) == 2
    other = Entry(entry.id, 1, "other-device", entry.hash, os.urandom(32), b"\x01", bytes(64))
    with pytest.raises(RuleViolation) as refused:
        await store.append_entry(notebook_id, member_id, other, NOW)
    assert refused.value.status == 409


async def test_tokens_are_stored_only_as_hashes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "unspoken.db")
    await store.open()
    token = os.urandom(32)
    await make_notebook(store, token)
    found = await store.device_for_token(hashlib.sha256(token).digest())
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


async def test_migrations_produce_exactly_the_tables(store: SqliteStore) -> None:
    engine = create_engine(f"sqlite:///{store.path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


async def test_data_survives_a_reopen_and_migrations_rerun(tmp_path: Path) -> None:
    first = SqliteStore(tmp_path / "unspoken.db")
    await first.open()
    notebook_id, _ = await make_notebook(first)
    await first.close()
    second = SqliteStore(tmp_path / "unspoken.db")
    await second.open()
    view = await second.notebook(notebook_id)
    await second.close()
    assert view is not None and view.state.head_seq == 1
