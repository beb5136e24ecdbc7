"""The in-process broker: records go straight to the listeners of their notebook."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from unspoken.broker.base import Broker, Deliver, WireRecord


class MemoryBroker(Broker):
    def __init__(self) -> None:
        self._listeners: dict[str, set[Deliver]] = {}
        self._closed = False

    async def publish(self, notebook_id: str, record: WireRecord) -> None:
        self.deliver(notebook_id, record)

    def deliver(self, notebook_id: str, record: WireRecord) -> None:
        """Hand a record to every local listener, without waiting (Redis feeds this)."""
        for deliver in tuple(self._listeners.get(notebook_id, ())):
            deliver(record)

    def watched(self) -> list[str]:
        """The notebooks that have at least one listener here."""
        return list(self._listeners)

    @asynccontextmanager
    async def listen(self, notebook_id: str, deliver: Deliver) -> AsyncIterator[None]:
        if self._closed:
            deliver(None)
        listeners = self._listeners.setdefault(notebook_id, set())
        listeners.add(deliver)
        try:
            yield
        finally:
            listeners.discard(deliver)
            if not listeners and self._listeners.get(notebook_id) is listeners:
                del self._listeners[notebook_id]

    async def close(self) -> None:
        self._closed = True
        for listeners in list(self._listeners.values()):
            for deliver in tuple(listeners):
                deliver(None)
