"""A full disk or a locked database: 503 with Retry-After, a plain detail, and nothing changed.

Both faults are real SQLite conditions, not mocks. "Full" is SQLite's own SQLITE_FULL, reached
by capping the writer connection with PRAGMA max_page_count (SqliteTuning.max_pages, a test-only
setting): the same error code SQLite reports when the filesystem says ENOSPC. "Locked" is a
second connection holding BEGIN EXCLUSIVE beyond the writer's (shortened) busy timeout.
"""

import asyncio
import dataclasses
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any

import httpx

from api.helpers import Book, Unchanged, head, notebook, paired, problem, records, unb64, write
from store.helpers import NOW, chain, make_notebook
from unspoken.api.refusals import said
from unspoken.app import create_app
from unspoken.rules import RuleViolation
from unspoken.server import reads, writes
from unspoken.settings import Settings, SqliteTuning
from unspoken.store import SqliteStore
from unspoken.store.faults import DISK_FULL, fault_of

FULL_DETAIL = "The server's disk is full; nothing was saved. Try again in a minute."


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def _pages(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        pages: int = db.execute("PRAGMA page_count").fetchone()[0]
        return pages


def _intact(path: Path) -> bool:
    with closing(sqlite3.connect(path)) as db:
        return bool(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


async def _append(http: httpx.AsyncClient, book: Book, body: dict[str, Any]) -> httpx.Response:
    url = f"/v1/notebooks/{book.id}/entries"
    return await http.post(url, json=body, headers=book.creator.auth)


async def _snapshot(http: httpx.AsyncClient, book: Book) -> tuple[Any, ...]:
    return await notebook(http, book, book.creator), await records(http, book, book.creator)


async def _fill(http: httpx.AsyncClient, book: Book) -> tuple[httpx.Response, dict[str, Any]]:
    """Append until the capped database is full; the refused answer and its body."""
    for n in range(200):
        body = book.entry_body(book.creator, f"line {n}", unb64((await head(http, book))["hash"]))
        before = await _snapshot(http, book)
        answer = await _append(http, book, body)
        if answer.status_code == 503:
            assert await _snapshot(http, book) == before  # nothing half-written
            return answer, body
        assert answer.status_code == 201, answer.text
    raise AssertionError("the database never filled up")


async def test_a_full_disk_answers_503_and_saves_nothing(settings: Settings) -> None:
    settings = dataclasses.replace(settings, rate_limits=False)
    async with serving(settings) as http:
        book = await paired(http)
        assert (await write(http, book, book.creator, "before the disk filled")).status_code == 201
    assert isinstance(settings.database, Path)
    capped = SqliteTuning(max_pages=_pages(settings.database))
    async with serving(dataclasses.replace(settings, sqlite=capped)) as http:
        refused, body = await _fill(http, book)
        answer = problem(refused, 503)
        assert answer["detail"] == FULL_DETAIL and answer["retry_after"] == 60
        assert refused.headers["Retry-After"] == "60"
        stored = await records(http, book, book.creator)
    assert _intact(settings.database)
    async with serving(settings) as http:  # room again: the same append now goes through
        retried = await _append(http, book, body)
        assert retried.status_code == 201, retried.text
        assert retried.json()["seq"] == stored[-1]["seq"] + 1
        after = await records(http, book, book.creator)
        assert after[:-1] == stored and after[-1]["id"] == body["id"]


async def test_a_full_disk_mid_batch_answers_only_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "unspoken.db"
    store = SqliteStore(path)
    await store.open()
    notebook_id, member_id = await make_notebook(store)
    await store.close()
    store = SqliteStore(path, SqliteTuning(max_pages=_pages(path) + 2))
    await store.open()
    entries, results = chain(60), []
    for wave in range(0, 60, 6):  # waves of concurrent appends, each a group commit or two
        calls = [
            store.write(writes.append_entry(notebook_id, member_id, e, NOW))
            for e in entries[wave:][:6]
        ]
        results += await asyncio.gather(*calls, return_exceptions=True)
    await store.close()
    saved = [e.id for e, r in zip(entries, results, strict=True) if not isinstance(r, Exception)]
    failures = [r for r in results if isinstance(r, Exception)]
    assert saved and failures, "the cap should fall inside the run of appends"
    for failure in failures:  # the full disk itself, or an append whose prev never landed
        assert fault_of(failure) == DISK_FULL or (
            isinstance(failure, RuleViolation) and said(failure).status == 409
        )
    store = SqliteStore(path)
    await store.open()
    stored = await reads.records(store, notebook_id, 0, 500)
    await store.close()
    assert [r.entry.id for r in stored if r.entry] == saved
    assert [r.seq for r in stored] == list(range(1, len(stored) + 1))
    assert _intact(path)


async def test_a_locked_database_answers_503_then_recovers(settings: Settings) -> None:
    assert isinstance(settings.database, Path)
    quick = SqliteTuning(busy_timeout_ms=200)
    async with serving(dataclasses.replace(settings, sqlite=quick, rate_limits=False)) as http:
        book = await paired(http)
        prev = unb64((await head(http, book))["hash"])
        body = book.entry_body(book.creator, "while locked", prev)
        with closing(sqlite3.connect(settings.database, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            async with Unchanged(http, book):  # reads still work: WAL readers never wait
                refused = await _append(http, book, body)
            other.execute("ROLLBACK")
        answer = problem(refused, 503)
        assert answer["title"] == "Database busy" and "nothing was saved" in answer["detail"]
        assert int(refused.headers["Retry-After"]) > 0
        before = await records(http, book, book.creator)
        retried = await _append(http, book, body)
        assert retried.status_code == 201, retried.text
        assert retried.json()["seq"] == before[-1]["seq"] + 1
    assert _intact(settings.database)
