"""The SDK's retry policy: transport errors and 503 within a bounded window, never a 4xx.

Against a real HTTP server on loopback that answers each request with the next answer of a
script: a problem, a success, or a connection closed with no answer (a lost answer).
"""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from unspoken.client.api import Api
from unspoken.client.errors import UnspokenError

DROP = "drop"  # the connection is closed and nothing is answered
Answer = tuple[int, dict[str, Any], dict[str, str]] | str


def _busy() -> Answer:
    body = {"type": "x", "title": "Database busy", "status": 503, "detail": "busy"}
    return (503, body, {"Retry-After": "0"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def _server(
    answers: list[Answer], port: int = 0, after: float = 0.0
) -> AsyncIterator[tuple[str, list[str]]]:
    """(its URL, the methods it saw); with `after`, it begins to listen only that late."""
    seen: list[str] = []

    async def answer(request: web.Request) -> web.StreamResponse:
        seen.append(request.method)
        await request.read()
        scripted = answers.pop(0)
        if scripted == DROP:
            assert request.transport is not None
            request.transport.close()
            return web.Response()  # never sent: the connection is gone
        status, body, headers = scripted
        return web.json_response(body, status=status, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = port or _free_port()

    async def listen() -> None:
        await asyncio.sleep(after)
        await web.TCPSite(runner, "127.0.0.1", port).start()

    listening = asyncio.create_task(listen())
    if not after:
        await listening
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await listening
        await runner.cleanup()


async def test_a_503_is_retried_until_the_server_answers() -> None:
    async with _server([_busy(), _busy(), (201, {"seq": 7}, {})]) as (url, seen):
        api = Api(url)
        assert await api.call("POST", "/v1/notebooks/n/pen/pass") == (201, {"seq": 7})
        assert (len(seen), api.retried) == (3, 2)
        await api.close()


async def test_a_4xx_is_never_retried() -> None:
    refusal = (409, {"status": 409, "detail": "You do not hold the pen."}, {})
    async with _server([refusal, (201, {}, {})]) as (url, seen):
        api = Api(url)
        with pytest.raises(UnspokenError) as refused:
            await api.call("POST", "/v1/notebooks/n/entries", {}, idempotent=True)
        assert refused.value.status == 409 and len(seen) == 1
        await api.close()


async def test_a_lost_answer_is_retried_only_where_a_retry_is_harmless() -> None:
    async with _server([DROP, (200, {}, {})]) as (url, seen):
        api = Api(url)
        await api.call("POST", "/v1/notebooks/n/entries", {}, idempotent=True)
        assert len(seen) == 2
        await api.close()
    async with _server([DROP, (200, {}, {})]) as (url, seen):
        api = Api(url)
        with pytest.raises(aiohttp.ClientError):  # passing the pen twice is not the same as once
            await api.call("POST", "/v1/notebooks/n/pen/pass")
        assert len(seen) == 1
        await api.close()
    async with _server([(200, {}, {})], after=0.05) as (url, seen):
        api = Api(url)  # the first try finds nobody listening: it never left
        await api.call("POST", "/v1/notebooks/n/pen/pass")
        assert (len(seen), api.retried) == (1, 1)
        await api.close()


async def test_retries_end_with_the_window() -> None:
    async with _server([_busy() for _ in range(100)]) as (url, seen):
        api = Api(url, retry_window=0.5)
        began = time.monotonic()
        with pytest.raises(UnspokenError) as refused:
            await api.call("GET", "/v1/notebooks/n")
        assert refused.value.status == 503
        assert time.monotonic() - began < 5.0 and 2 <= len(seen) < 10
        await api.close()
