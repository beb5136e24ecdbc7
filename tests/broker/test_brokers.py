"""One contract for every broker backend (only the in-process one exists so far)."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from unspoken.broker import Broker, MemoryBroker
from unspoken.broker.memory import QUEUE_SIZE


@pytest.fixture(params=["memory"])
async def broker(request: pytest.FixtureRequest) -> AsyncIterator[Broker]:
    backend: Broker = MemoryBroker()
    yield backend
    await backend.close()


async def test_subscribers_get_their_notebooks_records_in_order(broker: Broker) -> None:
    async with broker.subscribe("a") as first, broker.subscribe("a") as second:
        async with broker.subscribe("b") as other:
            for seq in (1, 2, 3):
                await broker.publish("a", {"seq": seq})
            await broker.publish("b", {"seq": 9})
            for live in (first, second):
                assert [(await anext(live))["seq"] for _ in range(3)] == [1, 2, 3]
            assert (await anext(other))["seq"] == 9


async def test_nothing_is_delivered_after_unsubscribing(broker: Broker) -> None:
    async with broker.subscribe("a"):
        pass
    await broker.publish("a", {"seq": 1})  # no subscriber left: a no-op
    async with broker.subscribe("a") as live:
        await broker.publish("a", {"seq": 2})
        assert (await anext(live))["seq"] == 2


async def test_close_ends_every_subscription(broker: Broker) -> None:
    async with broker.subscribe("a") as live:
        waiting = asyncio.ensure_future(anext(live, None))
        await asyncio.sleep(0)
        await broker.close()
        assert await asyncio.wait_for(waiting, 5) is None


async def test_a_slow_subscriber_loses_the_oldest_not_the_newest() -> None:
    broker = MemoryBroker()
    async with broker.subscribe("a") as live:
        for seq in range(1, QUEUE_SIZE + 11):
            await broker.publish("a", {"seq": seq})
        assert (await anext(live))["seq"] == 11
    await broker.close()
