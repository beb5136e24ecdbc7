"""Fan-out of committed records to live streams. Records are wire dicts with a `seq`."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from types import MappingProxyType
from typing import Any

WireRecord = Mapping[str, Any]
RESYNC: WireRecord = MappingProxyType({"kind": "broker.resync"})
"""Sent instead of a record (it has no `seq`) when records may have been lost on the way,
e.g. after a reconnect to Redis: the subscriber reads what it missed from the store."""


class Broker(ABC):
    """Publish after commit; subscribers may see records late, out of order or not at all
    (a slow subscriber loses old ones), so they fill gaps from the store by `seq`."""

    @abstractmethod
    async def publish(self, notebook_id: str, record: WireRecord) -> None: ...

    @abstractmethod
    def subscribe(
        self, notebook_id: str
    ) -> AbstractAsyncContextManager[AsyncIterator[WireRecord]]: ...

    @abstractmethod
    async def close(self) -> None:
        """End every subscription (their iterators stop) and refuse new ones."""
