"""What only the Redis broker does: share records between processes, survive Redis restarts."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from scale.services import REDIS_URL, PrivateRedis, free_port, redis_reachable, require
from unspoken.broker import RESYNC
from unspoken.broker.redis import RedisBroker
from unspoken.protocol.encoding import new_id


@pytest.fixture
async def pair() -> AsyncIterator[tuple[RedisBroker, RedisBroker]]:
    """Two brokers on one Redis: two app processes, as far as pub/sub can tell."""
    require("Redis at " + REDIS_URL, redis_reachable())
    first, second = RedisBroker(REDIS_URL), RedisBroker(REDIS_URL)
    yield first, second
    await first.close()
    await second.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


async def test_a_record_published_in_one_process_reaches_the_other(
    pair: tuple[RedisBroker, RedisBroker],
) -> None:
    first, second = pair
    nb = new_id()
    async with second.subscribe(nb) as live:
        for seq in range(1, 51):
            await first.publish(nb, {"seq": seq})
        assert [(await asyncio.wait_for(anext(live), 5))["seq"] for _ in range(50)] == list(
            range(1, 51)
        )


async def test_many_streams_share_one_subscription(pair: tuple[RedisBroker, RedisBroker]) -> None:
    first, second = pair
    nb = new_id()
    async with second.subscribe(nb) as one, second.subscribe(nb) as two:
        await first.publish(nb, {"seq": 1})
        for live in (one, two):
            assert (await asyncio.wait_for(anext(live), 5))["seq"] == 1
    assert second._watchers == {}


async def test_a_restarted_redis_means_resync_then_records_again(
    private_redis: PrivateRedis,
) -> None:
    first, second = RedisBroker(private_redis.url), RedisBroker(private_redis.url)
    nb = new_id()
    try:
        async with second.subscribe(nb) as live:
            await first.publish(nb, {"seq": 1})
            assert (await asyncio.wait_for(anext(live), 5))["seq"] == 1
            private_redis.stop()
            await first.publish(nb, {"seq": 2})  # Redis is down: kept, retried later
            private_redis.start()
            # seq 2 may be flushed before the subscriber is back (pub/sub keeps nothing), but
            # then RESYNC tells the stream to read the store: either way nothing is lost.
            seen = [await asyncio.wait_for(anext(live), 10)]
            while seen[-1] != RESYNC:
                seen.append(await asyncio.wait_for(anext(live), 10))
            await first.publish(nb, {"seq": 3})
            while seen[-1].get("seq") != 3:
                seen.append(await asyncio.wait_for(anext(live), 10))
            assert [s.get("seq") for s in seen if s.get("seq") != 2] == [None, 3]
    finally:
        await first.close()
        await second.close()
