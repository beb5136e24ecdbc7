"""The in-process broker: one asyncio queue per subscriber."""

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from unspoken.broker.base import Broker, WireRecord

QUEUE_SIZE = 1024


class _Subscription:
    def __init__(self) -> None:
        self._queue: asyncio.Queue[WireRecord | None] = asyncio.Queue(QUEUE_SIZE)

    def put(self, item: WireRecord | None) -> None:
        """Never block the publisher: a full queue drops its oldest item (gaps are refilled)."""
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(item)

    async def __aiter__(self) -> AsyncIterator[WireRecord]:
        while (item := await self._queue.get()) is not None:
            yield item


class MemoryBroker(Broker):
    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[_Subscription]] = defaultdict(set)
        self._closed = False

    async def publish(self, notebook_id: str, record: WireRecord) -> None:
        self.deliver(notebook_id, record)

    def deliver(self, notebook_id: str, record: WireRecord) -> None:
        """Put a record in every local subscriber's queue, without waiting (Redis feeds this)."""
        for subscription in list(self._subscribers.get(notebook_id, ())):
            subscription.put(record)

    @asynccontextmanager
    async def subscribe(self, notebook_id: str) -> AsyncIterator[AsyncIterator[WireRecord]]:
        subscription = _Subscription()
        if self._closed:
            subscription.put(None)
        self._subscribers[notebook_id].add(subscription)
        try:
            yield aiter(subscription)
        finally:
            subscribers = self._subscribers.get(notebook_id)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[notebook_id]

    async def close(self) -> None:
        self._closed = True
        for subscribers in list(self._subscribers.values()):
            for subscription in list(subscribers):
                subscription.put(None)
