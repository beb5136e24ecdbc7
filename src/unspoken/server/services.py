"""The running server's parts, and the one way a write is committed and then published."""

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from unspoken.broker import Broker, WireRecord
from unspoken.push.dispatch import Pusher
from unspoken.rules import Record
from unspoken.server.drafts import DraftLimiter
from unspoken.server.live import Hub
from unspoken.server.wire import record_json
from unspoken.settings import Settings
from unspoken.store.base import Store
from unspoken.store.work import Work

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    broker: Broker
    drafts: DraftLimiter = field(default_factory=DraftLimiter)
    push: Pusher | None = None  # Web Push notices (push/); None where they are not sent
    lag: Callable[[float], None] | None = None  # observes commit → this process's streams, s

    def now(self) -> datetime:
        return self.settings.clock()

    @cached_property
    def streams(self) -> Hub:
        """This process's live streams: one broker listener per notebook, one heartbeat."""
        return Hub(self.broker, self.settings.ping_seconds, self._lag)

    def _lag(self, record: WireRecord) -> None:
        """How long a record took from its commit to this process (the broker's lag)."""
        at = record.get("at")
        if self.lag is not None and isinstance(at, str):
            committed = datetime.fromisoformat(at.replace("Z", "+00:00"))
            self.lag(max(0.0, (self.now() - committed).total_seconds()))

    async def commit(self, work: Work[T]) -> T:
        """Run one unit of work (server/writes.py) in a write transaction; once it is durable,
        publish the records it committed; answer its value."""
        committed = await self.store.write(work)
        if committed.records:
            notebook = work.notebook or committed.notebook
            assert notebook is not None  # noqa: S101 — a claim names the notebook it found
            await self.publish(notebook, committed.records)
        return committed.value

    async def publish(self, notebook_id: str, records: Iterable[Record]) -> None:
        """Tell live streams (and, by Web Push, devices that asked) about committed records."""
        records = tuple(records)
        for record in records:
            await self.broker.publish(notebook_id, record_json(record))
        if self.push is not None:
            self.push.notify(notebook_id, records)
        # One turn of the event loop: this process's live streams send the records on before
        # the writer's answer goes out, so the partner is not kept waiting for it.
        await asyncio.sleep(0)
