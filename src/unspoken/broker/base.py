"""Fan-out of committed records to live streams. Records are wire dicts with a `seq`."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

WireRecord = Mapping[str, Any]


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
