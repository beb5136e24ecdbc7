"""One contract for every store backend (SQLite file, PostgreSQL schema): see conftest.py."""

import asyncio
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from store.conftest import OpenStore
from store.helpers import NOW, chain, make_notebook, new_device, open_invite
from unspoken.api.refusals import said
from unspoken.protocol.encoding import new_id
from unspoken.rules import Entry, RuleViolation
from unspoken.server import reads, writes
from unspoken.store import Store
from unspoken.store.base import Profile
from unspoken.store.postgres import driver_url
from unspoken.store.tables import metadata

PROFILE = Profile("device", b"\x01" * 256, bytes(64))


async def test_fifty_concurrent_appends_get_gapless_seqs_in_arrival_order(store: Store) -> None:
    notebook_id, member_id = await make_notebook(store)
    entries = chain(50)
    results = await asyncio.gather(
        *(store.write(writes.append_entry(notebook_id, member_id, entry, NOW)) for entry in entries)
    )
    assert [r.value.seq for r in results] == list(range(2, 52))
    stored = await reads.records(store, notebook_id, 0, 500)
    assert [r.seq for r in stored] == list(range(1, 52))
    assert [r.entry.id for r in stored[1:] if r.entry] == [e.id for e in entries]


async def test_a_refused_write_rolls_back_only_itself(store: Store) -> None:
    notebook_id, member_id = await make_notebook(store)
    good = chain(3)
    bad = chain(1, start=b"\x09" * 32)[0]
    calls = [
        store.write(writes.append_entry(notebook_id, member_id, e, NOW))
        for e in (good[0], bad, *good[1:])
    ]
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(results[1], RuleViolation) and said(results[1]).status == 409
    assert [r.value.seq for r in results if not isinstance(r, BaseException)] == [2, 3, 4]
    assert (await reads.page(store, notebook_id, 0, 10)).head_seq == 4


async def test_concurrent_appends_across_notebooks(store: Store) -> None:
    books = [await make_notebook(store) for _ in range(5)]
    chains = [chain(10) for _ in books]
    calls = [
        store.write(writes.append_entry(nb, member, entry, NOW))
        for index in range(10)
        for (nb, member), entries in zip(books, chains, strict=True)
        for entry in entries[index : index + 1]
    ]
    await asyncio.gather(*calls)
    for nb, _member in books:
        page = await reads.page(store, nb, 0, 100)
        assert [r.seq for r in page.records] == list(range(1, 12)) and page.head_seq == 11


async def test_a_retried_append_is_stored_once(store: Store) -> None:
    notebook_id, member_id = await make_notebook(store)
    entry = chain(1)[0]
    first = await store.write(writes.append_entry(notebook_id, member_id, entry, NOW))
    again = await store.write(writes.append_entry(notebook_id, member_id, entry, NOW))
    assert again.value.replayed and not first.value.replayed and again.records == ()
    assert (again.value.seq, again.value.hash, again.value.at) == (
        first.value.seq,
        first.value.hash,
        first.value.at,
    )
    assert len(await reads.records(store, notebook_id, 0, 10)) == 2
    other = Entry(entry.id, 1, "other-device", entry.hash, os.urandom(32), b"\x01", bytes(64))
    with pytest.raises(RuleViolation) as refused:
        await store.write(writes.append_entry(notebook_id, member_id, other, NOW))
    assert said(refused.value).status == 409


async def test_two_stores_on_one_database_take_turns_on_a_notebook(open_store: OpenStore) -> None:
    """Two app processes racing on one head: exactly one append wins each round, no gaps."""
    first, second = await open_store(), await open_store()
    notebook_id, member_id = await make_notebook(first)
    head = bytes(32)
    for round_ in range(10):
        racers = [chain(1, start=head)[0] for _ in range(2)]
        calls = [
            store.write(writes.append_entry(notebook_id, member_id, entry, NOW))
            for store, entry in zip((first, second), racers, strict=True)
        ]
        results = await asyncio.gather(*calls, return_exceptions=True)
        won = [
            (r, e) for r, e in zip(results, racers, strict=True) if not isinstance(r, BaseException)
        ]
        lost = [r for r in results if isinstance(r, RuleViolation)]
        assert len(won) == 1 and len(lost) == 1 and said(lost[0]).status == 409
        assert won[0][0].value.seq == round_ + 2
        head = won[0][1].hash
    page = await reads.page(second, notebook_id, 0, 100)
    assert [r.seq for r in page.records] == list(range(1, 12)) and page.head_seq == 11


async def test_two_claims_of_one_invite_from_two_stores_admit_one(open_store: OpenStore) -> None:
    first, second = await open_store(), await open_store()
    notebook_id, creator = await make_notebook(first)
    invite_id, claim = await open_invite(first, notebook_id, creator)
    calls = [
        store.write(
            writes.claim_invite(invite_id, claim, new_id(), new_device(), os.urandom(32), NOW)
        )
        for store in (first, second)
    ]
    results = await asyncio.gather(*calls, return_exceptions=True)
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(refused) == 1 and said(refused[0]).status == 410
    view = await reads.notebook(second, notebook_id)
    assert view is not None and len(view.members) == 2


async def test_a_reused_notebook_id_is_refused(store: Store) -> None:
    notebook_id, member_id = await make_notebook(store)
    with pytest.raises(RuleViolation) as refused:
        await store.write(writes.create_notebook(notebook_id, new_id(), new_device(), PROFILE, NOW))
    assert said(refused.value).status == 409


async def test_migrations_produce_exactly_the_tables(store: Store, database: Path | str) -> None:
    url = f"sqlite:///{database}" if isinstance(database, Path) else driver_url(database)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


async def test_data_survives_a_reopen_and_migrations_rerun(open_store: OpenStore) -> None:
    first = await open_store()
    notebook_id, _ = await make_notebook(first)
    await first.close()
    second = await open_store()
    view = await reads.notebook(second, notebook_id)
    assert view is not None and view.state.head_seq == 1


async def test_two_stores_migrate_one_new_database_at_once(open_store: OpenStore) -> None:
    """Several processes starting together must not trip over each other's migrations."""
    first, second = await asyncio.gather(open_store(), open_store())
    notebook_id, _ = await make_notebook(first)
    assert (await reads.notebook(second, notebook_id)) is not None
