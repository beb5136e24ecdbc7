"""On PostgreSQL an acknowledgement is durable only if COMMIT waits for the WAL flush.

That is `synchronous_commit = on` (with `fsync = on`). It is PostgreSQL's default, but a server,
database or role setting can turn it off, and the store inherits whatever it finds.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Connection

from scale.services import PG_URL, postgres_reachable, require
from unspoken.store.work import Committed, Work


@contextmanager
def database(setting: str | None = None) -> Iterator[str]:
    """A fresh database, optionally with `ALTER DATABASE … SET <setting>`, dropped afterwards."""
    import psycopg

    require("PostgreSQL at " + PG_URL, postgres_reachable())
    name = f"unspoken_durability_{secrets.token_hex(4)}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        if setting:
            admin.execute(f'ALTER DATABASE "{name}" SET {setting}')
    try:
        yield urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _settings(conn: Connection) -> tuple[str, str]:
    commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar_one()
    return str(commit), str(conn.exec_driver_sql("SHOW fsync").scalar_one())


async def _write_settings(url: str) -> tuple[str, str]:
    from unspoken.store.postgres import PostgresStore

    store = PostgresStore(url)
    await store.open()
    try:
        return (await store.write(Work("settings", lambda conn: Committed(_settings(conn))))).value
    finally:
        await store.close()


async def test_writes_commit_synchronously_with_the_server_defaults() -> None:
    with database() as url:
        assert await _write_settings(url) == ("on", "on")


async def test_writes_commit_synchronously_even_where_the_database_turns_it_off() -> None:
    with database("synchronous_commit = off") as url:
        assert (await _write_settings(url))[0] == "on"
