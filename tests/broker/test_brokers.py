"""One contract for every broker backend: in-process, and Redis pub/sub on the machine's Redis."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from scale.services import REDIS_URL, redis_reachable, require
from unspoken.broker import Broker, MemoryBroker, WireRecord, broker_for
from unspoken.broker.base import QUEUE_SIZE
from unspoken.protocol.encoding import new_id


@pytest.fixture(params=["memory", "redis"])
async def broker(request: pytest.FixtureRequest) -> AsyncIterator[Broker]:
    if request.param == "redis":
        require("Redis at " + REDIS_URL, redis_reachable())
    backend = broker_for("memory" if request.param == "memory" else REDIS_URL)
    yield backend
    await backend.close()


@pytest.fixture
def nb() -> tuple[str, str]:
    """Notebook ids of our own: tests running in parallel share the machine's Redis."""
    return new_id(), new_id()


async def test_subscribers_get_their_notebooks_records_in_order(
    broker: Broker, nb: tuple[str, str]
) -> None:
    a, b = nb
    async with broker.subscribe(a) as first, broker.subscribe(a) as second:
        async with broker.subscribe(b) as other:
            for seq in (1, 2, 3):
                await broker.publish(a, {"seq": seq})
            await broker.publish(b, {"seq": 9})
            for live in (first, second):
                assert [(await _next(live))["seq"] for _ in range(3)] == [1, 2, 3]
            assert (await _next(other))["seq"] == 9


async def test_nothing_is_delivered_after_unsubscribing(
    broker: Broker, nb: tuple[str, str]
) -> None:
    a, _ = nb
    async with broker.subscribe(a):
        pass
    await broker.publish(a, {"seq": 1})  # no subscriber left: a no-op
    async with broker.subscribe(a) as live:
        await broker.publish(a, {"seq": 2})
        assert (await _next(live))["seq"] == 2


async def test_close_ends_every_subscription(broker: Broker, nb: tuple[str, str]) -> None:
    async with broker.subscribe(nb[0]) as live:
        waiting = asyncio.ensure_future(anext(live, None))
        await asyncio.sleep(0)
        await broker.close()
        assert await asyncio.wait_for(waiting, 5) is None


async def test_records_carry_their_fields_unchanged(broker: Broker, nb: tuple[str, str]) -> None:
    record = {"seq": 7, "kind": "entry", "ct": "AAEC", "extra": {"to": None, "n": [1, 2]}}
    async with broker.subscribe(nb[0]) as live:
        await broker.publish(nb[0], record)
        assert dict(await _next(live)) == record


async def test_a_slow_subscriber_loses_the_oldest_not_the_newest() -> None:
    broker = MemoryBroker()
    async with broker.subscribe("a") as live:
        for seq in range(1, QUEUE_SIZE + 11):
            await broker.publish("a", {"seq": seq})
        assert (await anext(live))["seq"] == 11
    await broker.close()


async def _next(live: AsyncIterator[WireRecord]) -> dict[str, Any]:
    return dict(await asyncio.wait_for(anext(live), 5))
