"""The store contract runs on every backend: a SQLite file, and a fresh PostgreSQL schema."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from scale.services import postgres_schema
from unspoken.store import Store, store_for

OpenStore = Callable[[], Awaitable[Store]]


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where a backend keeps its data: a file, or a URL naming a schema of our own."""
    if request.param == "sqlite":
        yield tmp_path / "unspoken.db"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture
async def open_store(database: Path | str) -> AsyncIterator[OpenStore]:
    """Open stores on one database (as several app processes would); all close at the end."""
    opened: list[Store] = []

    async def open_one() -> Store:
        store = store_for(database)
        await store.open()
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_store: OpenStore) -> Store:
    return await open_store()
