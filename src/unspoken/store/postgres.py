"""The scale-out store: PostgreSQL through psycopg 3, many app processes sharing one database.

The same dialect-neutral operations as SQLite run here, each in its own transaction. Writes
go to one of WRITERS threads chosen by notebook id, so inside a process one notebook's writes
run in arrival order (as on SQLite's single writer) while other notebooks' run in parallel.
Across processes `persist.load_state` serializes them: it reads the notebook row with
SELECT … FOR UPDATE. Durability comes from PostgreSQL's own group commit: concurrent COMMITs
share one WAL flush. See docs/scaling.md.
"""

import asyncio
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import IntegrityError

from unspoken.rules import Refusal, RuleViolation
from unspoken.store import migrate, tokens
from unspoken.store.work import Committed, Work

T = TypeVar("T")
WRITERS = 16
READERS = 8
# Other processes write this database too, and their writes reach this process's token cache
# only by expiry: a decline or leave made elsewhere is seen here within this many seconds
# (writes are re-checked under the notebook's row lock regardless). store/tokens.py.
TOKEN_TTL_SECONDS = 5.0
# Any constant will do: every process migrating the same database takes this lock first.
MIGRATION_LOCK = 0x756E73706B6E


def driver_url(url: str) -> str:
    """postgres://… or postgresql://… as SQLAlchemy's psycopg 3 URL."""
    scheme, rest = url.split("://", 1)
    if scheme.lower() in ("postgres", "postgresql"):
        scheme = "postgresql+psycopg"
    return f"{scheme}://{rest}"


def _engine(url: str, pool_size: int, isolation: str) -> Engine:
    engine = create_engine(
        driver_url(url),
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=True,  # a connection that died with a database restart is replaced
        isolation_level=isolation,
    )

    @event.listens_for(engine, "connect")
    def _durable(dbapi_connection: Any, _record: Any) -> None:
        """An answer means durable: COMMIT waits for the WAL flush, whatever the server,
        database or role settings say (PostgreSQL's default, but it can be turned off)."""
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = on")
        dbapi_connection.commit()

    return engine


def _id_in_use(exc: IntegrityError) -> RuleViolation:
    """A unique id taken by a concurrent write in another process: the same 409 as SQLite."""
    return RuleViolation(Refusal.ID_IN_USE)


class PostgresStore:
    def __init__(self, url: str) -> None:
        self.url = url
        # Writes: READ COMMITTED plus the notebook row lock. Reads: one snapshot per call.
        self._write_engine = _engine(url, WRITERS, "READ COMMITTED")
        self._read_engine = _engine(url, READERS, "REPEATABLE READ")
        self._writers = [
            ThreadPoolExecutor(1, thread_name_prefix=f"unspoken-pg-writer-{n}")
            for n in range(WRITERS)
        ]
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="unspoken-pg-reader")
        self.tokens = tokens.TokenCache(TOKEN_TTL_SECONDS)
        self.commits = 0  # one transaction per write: PostgreSQL groups the WAL flushes

    async def open(self) -> None:
        await asyncio.to_thread(self._migrate)

    def _migrate(self) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            migrate.upgrade(conn)

    async def close(self) -> None:
        for writer in self._writers:
            writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self._write_engine.dispose()
        self._read_engine.dispose()

    async def write(self, work: Work[T]) -> Committed[T]:
        """One unit of work in its own transaction, on the writer thread that owns its
        notebook (or, for a claim, what it claims)."""

        def run() -> Committed[T]:
            try:
                with self._write_engine.begin() as conn:
                    value = work.run(conn)
            except IntegrityError as exc:
                raise _id_in_use(exc) from None
            self.commits += 1
            return value

        writer = self._writers[zlib.crc32(work.key.encode()) % WRITERS]
        value: Committed[T] | None = None
        try:
            value = await asyncio.get_running_loop().run_in_executor(writer, run)
            return value
        finally:
            tokens.after_write(self.tokens, work, value)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self._read_engine.connect() as conn, conn.begin():
                return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)
