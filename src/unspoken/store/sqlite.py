"""The embedded store: one SQLite file in WAL mode, one writer thread, a few reader threads."""

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from unspoken.settings import SqliteTuning
from unspoken.store import migrate, tokens
from unspoken.store.work import Committed, Work
from unspoken.store.writer import MAX_BATCH, Writer

T = TypeVar("T")
READERS = 4
# One process writes a SQLite file, and every write it makes forgets what it changes
# (store/tokens.py): the TTL only bounds what a write from elsewhere could leave unseen.
TOKEN_TTL_SECONDS = 60.0
SYNCHRONOUS_FULL = 2
log = logging.getLogger(__name__)


class DatabaseDamaged(RuntimeError):
    """The file failed SQLite's quick_check; the server will not write to it."""


class NotDurable(RuntimeError):
    """SQLite would not run in WAL mode with synchronous=FULL on this file (its filesystem?)."""


def _engine(path: Path, begin: str, pool_size: int, pragmas: tuple[str, ...]) -> Engine:
    """An engine whose transactions we open ourselves (pysqlite's own handling is off)."""
    engine = create_engine(
        f"sqlite:///{path}", hide_parameters=True, pool_size=pool_size, max_overflow=0
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        _configure(dbapi_connection, pragmas)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _pragmas(tuning: SqliteTuning, writer: bool) -> tuple[str, ...]:
    # synchronous=FULL, not NORMAL: in WAL mode NORMAL syncs the log only at checkpoints, so a
    # power cut could take back commits already answered. FULL syncs it before COMMIT returns.
    pragmas = ["journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"]
    pragmas.append(f"busy_timeout={tuning.busy_timeout_ms}")
    if writer and tuning.max_pages is not None:
        pragmas.append(f"max_page_count={tuning.max_pages}")
    return tuple(pragmas)


def _configure(dbapi_connection: Any, pragmas: tuple[str, ...]) -> None:
    """Set the pragmas, then read back the two durability rests on: SQLite ignores some
    settings silently (WAL on a filesystem without shared memory, say)."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
    finally:
        cursor.close()
    if (str(mode).lower(), synchronous) != ("wal", SYNCHRONOUS_FULL):
        raise NotDurable(f"SQLite runs with journal_mode={mode}, synchronous={synchronous}")


_LOCKED_WAITS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)  # another process migrating the same new file


def _quick_check(engine: Engine) -> list[str]:
    """PRAGMA quick_check's answer; a file locked by another process is waited for, since a
    lock is not damage."""
    for wait in (*_LOCKED_WAITS, None):
        try:
            with engine.connect() as conn:
                return [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check(3)")]
        except DBAPIError as exc:
            if wait is None or "locked" not in str(exc.orig):
                return [str(exc.orig)]
            time.sleep(wait)
    raise AssertionError("unreachable")


def _check_integrity(engine: Engine, path: Path) -> None:
    """PRAGMA quick_check before serving: never add words to a damaged file."""
    found = _quick_check(engine)
    if found == ["ok"]:
        return
    message = (
        f"The database {path} failed SQLite's integrity check ({'; '.join(found)}). "
        "The server will not start on it. Keep the file, and bring back the latest backup "
        f"with `unspoken restore BACKUP --database {path}` (docs/durability.md)."
    )
    log.critical(message)
    raise DatabaseDamaged(message)


class SqliteStore:
    def __init__(
        self, path: Path, tuning: SqliteTuning | None = None, max_batch: int = MAX_BATCH
    ) -> None:
        self.path = path
        tuning = tuning or SqliteTuning()
        writes, reads_ = _pragmas(tuning, writer=True), _pragmas(tuning, writer=False)
        self._write_engine = _engine(path, "BEGIN IMMEDIATE", 1, writes)
        self._read_engine = _engine(path, "BEGIN", READERS, reads_)
        self._writer = Writer(self._write_engine, max_batch=max_batch)
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="unspoken-reader")
        self.tokens = tokens.TokenCache(TOKEN_TTL_SECONDS)

    @property
    def commits(self) -> int:
        """How many write transactions have committed (group commit makes this < writes)."""
        return self._writer.commits

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self._migrate)
        self._writer.start()

    def _migrate(self) -> None:
        _check_integrity(self._read_engine, self.path)
        with self._write_engine.begin() as conn:
            migrate.upgrade(conn)

    async def close(self) -> None:
        await asyncio.to_thread(self._writer.stop)
        self._readers.shutdown(wait=True)
        self._write_engine.dispose()
        self._read_engine.dispose()

    async def write(self, work: Work[T]) -> Committed[T]:
        """One unit of work in the single writer's next group commit."""
        value: Committed[T] | None = None
        try:
            value = await self._writer.submit(work.run)
            return value
        finally:
            tokens.after_write(self.tokens, work, value)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self._read_engine.connect() as conn, conn.begin():
                return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)
