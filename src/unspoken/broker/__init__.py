"""Live fan-out of committed records: an abstract Broker, in-process and Redis."""

from unspoken.broker.base import RESYNC, Broker, WireRecord
from unspoken.broker.memory import MemoryBroker


def broker_for(target: str) -> Broker:
    """'memory' for one process; a redis:// URL to share live events among several."""
    if target == "memory":
        return MemoryBroker()
    from unspoken.broker.redis import RedisBroker  # redis-py only when it is asked for

    return RedisBroker(target)


__all__ = ["RESYNC", "Broker", "MemoryBroker", "WireRecord", "broker_for"]
