"""The embedded store: one SQLite file in WAL mode, one writer thread, a few reader threads."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event

from unspoken.rules import Entry, Record
from unspoken.store import migrate, operations, reads
from unspoken.store.base import (
    Appended,
    Claimed,
    Committed,
    DeviceAuth,
    NewDevice,
    NewInvite,
    NotebookView,
    Profile,
    RecordPage,
)
from unspoken.store.writer import Writer

T = TypeVar("T")
READERS = 4
BUSY_TIMEOUT_MS = 10_000


def _engine(path: Path, begin: str, pool_size: int) -> Engine:
    """An engine whose transactions we open ourselves (pysqlite's own handling is off)."""
    engine = create_engine(
        f"sqlite:///{path}", hide_parameters=True, pool_size=pool_size, max_overflow=0
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


class SqliteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._write_engine = _engine(path, "BEGIN IMMEDIATE", pool_size=1)
        self._read_engine = _engine(path, "BEGIN", pool_size=READERS)
        self._writer = Writer(self._write_engine)
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="unspoken-reader")

    @property
    def commits(self) -> int:
        """How many write transactions have committed (group commit makes this < writes)."""
        return self._writer.commits

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self._migrate)
        self._writer.start()

    def _migrate(self) -> None:
        with self._write_engine.begin() as conn:
            migrate.upgrade(conn)

    async def close(self) -> None:
        await asyncio.to_thread(self._writer.stop)
        self._readers.shutdown(wait=True)
        self._write_engine.dispose()
        self._read_engine.dispose()

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """One write in the single writer's next group commit."""
        return await self._writer.submit(fn)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        return await self._read(fn)

    async def _read(self, fn: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self._read_engine.connect() as conn, conn.begin():
                return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    async def create_notebook(
        self, notebook_id: str, member_id: str, device: NewDevice, profile: Profile, now: datetime
    ) -> Committed[None]:
        op = partial(
            operations.create_notebook,
            notebook_id=notebook_id,
            member_id=member_id,
            device=device,
            profile=profile,
            now=now,
        )
        return await self._writer.submit(op)

    async def open_invite(
        self, notebook_id: str, actor: str, invite: NewInvite, now: datetime
    ) -> Committed[None]:
        op = partial(
            operations.open_invite, notebook_id=notebook_id, actor=actor, invite=invite, now=now
        )
        return await self._writer.submit(op)

    async def revoke_invite(self, notebook_id: str, actor: str, invite_id: str) -> Committed[None]:
        op = partial(
            operations.revoke_invite, notebook_id=notebook_id, actor=actor, invite_id=invite_id
        )
        return await self._writer.submit(op)

    async def claim_invite(
        self,
        invite_id: str,
        claim: bytes,
        member_id: str,
        device: NewDevice,
        key_mac: bytes,
        now: datetime,
    ) -> Committed[Claimed]:
        op = partial(
            operations.claim_invite,
            invite_id=invite_id,
            claim=claim,
            member_id=member_id,
            device=device,
            key_mac=key_mac,
            now=now,
        )
        return await self._writer.submit(op)

    async def set_profile(
        self, notebook_id: str, actor: str, profile: Profile, now: datetime
    ) -> Committed[None]:
        op = partial(
            operations.set_profile, notebook_id=notebook_id, actor=actor, profile=profile, now=now
        )
        return await self._writer.submit(op)

    async def approve(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]:
        op = partial(
            operations.approve, notebook_id=notebook_id, actor=actor, member_id=member_id, now=now
        )
        return await self._writer.submit(op)

    async def decline(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]:
        op = partial(
            operations.decline, notebook_id=notebook_id, actor=actor, member_id=member_id, now=now
        )
        return await self._writer.submit(op)

    async def append_entry(
        self, notebook_id: str, actor: str, entry: Entry, now: datetime
    ) -> Committed[Appended]:
        op = partial(
            operations.append_entry, notebook_id=notebook_id, actor=actor, entry=entry, now=now
        )
        return await self._writer.submit(op)

    async def pass_pen(
        self, notebook_id: str, actor: str, now: datetime
    ) -> Committed[NotebookView]:
        op = partial(operations.pass_pen, notebook_id=notebook_id, actor=actor, now=now)
        return await self._writer.submit(op)

    async def device_for_token(self, token_hash: bytes) -> DeviceAuth | None:
        return await self._read(partial(reads.device_for_token, token_hash=token_hash))

    async def notebook(self, notebook_id: str) -> NotebookView | None:
        return await self._read(partial(reads.view, notebook_id=notebook_id))

    async def records(self, notebook_id: str, after: int, limit: int) -> list[Record]:
        query = partial(reads.records_after, notebook_id=notebook_id, after=after, limit=limit)
        return await self._read(query)

    async def page(self, notebook_id: str, after: int, limit: int) -> RecordPage:
        query = partial(reads.page, notebook_id=notebook_id, after=after, limit=limit)
        return await self._read(query)
