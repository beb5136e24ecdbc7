"""Live fan-out of committed records: an abstract Broker and the in-process one."""

from unspoken.broker.base import Broker, WireRecord
from unspoken.broker.memory import MemoryBroker

__all__ = ["Broker", "MemoryBroker", "WireRecord"]
