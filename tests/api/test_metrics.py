"""/metrics: the operator's view — counts and latencies by route, never ids or content."""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest

from api.helpers import paired, write
from unspoken.app import create_app
from unspoken.settings import Settings

TOKEN = "operator-only-token"


@pytest.fixture
async def watched(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, metrics_token=TOKEN))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://unspoken") as http:
            yield http


async def test_there_are_no_metrics_without_a_token_configured(client: httpx.AsyncClient) -> None:
    answer = await client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 404


async def test_metrics_need_the_operators_token(watched: httpx.AsyncClient) -> None:
    assert (await watched.get("/metrics")).status_code == 404
    wrong = await watched.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 404


async def test_metrics_count_by_route_and_never_name_a_notebook(
    watched: httpx.AsyncClient,
) -> None:
    book = await paired(watched)
    assert (await write(watched, book, book.creator, "I never meant")).status_code == 201
    answer = await watched.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    text = answer.text
    assert 'route="/v1/notebooks/{nb}/entries",status="201"' in text
    assert "unspoken_appends_total 1.0" in text
    assert "unspoken_request_seconds_bucket" in text
    assert book.id not in text and book.creator.token not in text


async def test_live_streams_and_broker_lag_are_measured_and_the_token_comes_from_the_environment(
    live_server_factory: Callable[..., Any],
) -> None:
    server = live_server_factory(env={"UNSPOKEN_METRICS_TOKEN": TOKEN})
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        book = await paired(http)
        url = f"/v1/notebooks/{book.id}/events"
        async with http.stream("GET", url, headers=book.joiner.auth) as stream:
            assert stream.status_code == 200
            assert "unspoken_live_streams 1.0" in await _metrics(http)
            assert "unspoken_broker_lag_seconds_count 0.0" in await _metrics(http)
            assert (await write(http, book, book.creator, "I never meant")).status_code == 201
            lagged = await _eventually(http, "unspoken_broker_lag_seconds_count 1.0")
            assert "unspoken_broker_lag_seconds_count 1.0" in lagged
        assert "unspoken_live_streams 0.0" in await _eventually_closed(http)


async def _metrics(http: httpx.AsyncClient) -> str:
    return (await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).text


async def _eventually_closed(http: httpx.AsyncClient) -> str:
    # the server notices the closed stream on its next send or ping
    return await _eventually(http, "unspoken_live_streams 0.0")


async def _eventually(http: httpx.AsyncClient, expected: str) -> str:
    for _ in range(100):
        text = await _metrics(http)
        if expected in text:
            return text
        await asyncio.sleep(0.1)
    return text
