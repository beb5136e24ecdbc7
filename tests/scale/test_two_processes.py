"""Two app processes on one PostgreSQL and one Redis: a partner streaming from process A sees
what is written through process B, in order, with no gap, even across a Redis restart."""

import asyncio
from collections.abc import Callable

import httpx
from httpx_sse import aconnect_sse

from scale.servers import Server
from scale.services import PrivateRedis
from unspoken.client import Notebook

DELIVERY_SECONDS = 20.0


async def _watch(url: str, notebook_id: str, token: str, seen: list[int]) -> None:
    """The raw live stream (no SDK catch-up to hide a gap): every seq, as it arrives."""
    headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": "0"}
    timeout = httpx.Timeout(10.0, read=None)
    async with (
        httpx.AsyncClient(base_url=url, timeout=timeout) as http,
        aconnect_sse(http, "GET", f"/v1/notebooks/{notebook_id}/events", headers=headers) as sse,
    ):
        async for event in sse.aiter_sse():
            if event.data:
                seen.append(event.json()["seq"])


async def _until_seen(seen: list[int], seq: int) -> None:
    async with asyncio.timeout(DELIVERY_SECONDS):
        while not seen or seen[-1] < seq:
            await asyncio.sleep(0.01)


async def test_an_entry_written_through_b_streams_from_a_across_a_redis_restart(
    servers: Callable[[int], list[Server]], private_redis: PrivateRedis
) -> None:
    a, b = servers(2)
    ella = await Notebook.create(a.url, name="Ella")
    james = await Notebook.join(ella.invite_link.replace(a.url, b.url), name="James")
    await ella.approve_partner()
    await ella.pass_pen()
    seen: list[int] = []
    watcher = asyncio.create_task(_watch(a.url, ella.id, str(ella._api.token), seen))
    try:
        texts = [f"line {n}" for n in range(30)]
        last = 0
        for text in texts[:10]:
            last = (await james.write(text)).seq
        await _until_seen(seen, last)

        private_redis.stop()
        for text in texts[10:20]:  # the store is up: appends succeed without Redis
            last = (await james.write(text)).seq
        private_redis.start()  # and nothing more is written: the reconnect alone must deliver
        await _until_seen(seen, last)

        for text in texts[20:]:
            last = (await james.write(text)).seq
        await _until_seen(seen, last)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
    assert seen == list(range(1, last + 1)), "in order, no gap, never twice"
    assert [e.text for e in await ella.read()] == texts
    assert [e.author for e in await ella.read()] == ["James"] * len(texts)
    for notebook in (ella, james):
        await notebook.close()
