"""Fan-out of committed records to live streams. Records are wire dicts with a `seq`."""

import asyncio
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import MappingProxyType
from typing import Any

WireRecord = Mapping[str, Any]
RESYNC: WireRecord = MappingProxyType({"kind": "broker.resync"})
"""Sent instead of a record (it has no `seq`) when records may have been lost on the way,
e.g. after a reconnect to Redis: the subscriber reads what it missed from the store."""

Deliver = Callable[[WireRecord | None], None]
"""Called on the event loop with each record of a notebook (or RESYNC), and with None when the
broker closes. It runs inside the broker's own delivery, so it must neither block nor await."""

QUEUE_SIZE = 1024


class Broker(ABC):
    """Publish after commit; listeners may see records late, out of order or not at all
    (a slow one loses old ones), so they fill gaps from the store by `seq`."""

    @abstractmethod
    async def publish(self, notebook_id: str, record: WireRecord) -> None: ...

    @abstractmethod
    def listen(self, notebook_id: str, deliver: Deliver) -> AbstractAsyncContextManager[None]:
        """Call `deliver` for every record of the notebook until the context ends. Entering
        returns once records published from then on will be delivered (Redis confirmed)."""

    @asynccontextmanager
    async def subscribe(self, notebook_id: str) -> AsyncIterator[AsyncIterator[WireRecord]]:
        """The same records as an async iterator over a bounded queue; it ends when the broker
        closes. For scripts and tests: the live stream listens without a queue of its own."""
        queue = _Queue()
        async with self.listen(notebook_id, queue.put):
            yield aiter(queue)

    @abstractmethod
    async def close(self) -> None:
        """End every listener (each gets None) and refuse new ones."""


class _Queue:
    def __init__(self) -> None:
        self._items: deque[WireRecord | None] = deque(maxlen=QUEUE_SIZE)
        self._waiter: asyncio.Future[None] | None = None

    def put(self, item: WireRecord | None) -> None:
        """Never block the publisher: a full queue drops its oldest item (gaps are refilled)."""
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def __aiter__(self) -> AsyncIterator[WireRecord]:
        while True:
            while not self._items:
                self._waiter = asyncio.get_running_loop().create_future()
                await self._waiter
            item = self._items.popleft()
            if item is None:
                return
            yield item
