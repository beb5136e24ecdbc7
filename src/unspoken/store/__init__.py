"""Where notebooks live: a Store protocol, its SQLite and PostgreSQL implementations."""

from pathlib import Path

from unspoken.settings import SqliteTuning
from unspoken.store.base import Store
from unspoken.store.sqlite import SqliteStore


def store_for(database: Path | str, sqlite: SqliteTuning | None = None) -> Store:
    """A SQLite file for a path, PostgreSQL for a postgresql:// URL (not opened yet)."""
    if isinstance(database, Path):
        return SqliteStore(database, sqlite)
    from unspoken.store.postgres import PostgresStore  # psycopg only when it is asked for

    return PostgresStore(database)


__all__ = ["SqliteStore", "Store", "store_for"]
