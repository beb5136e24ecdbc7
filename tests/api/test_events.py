"""The live stream, against a real server: replay, then live, in order, never twice."""

import asyncio
import signal
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent, aconnect_sse

from api.helpers import Book, claim, create, invite, paired, passing, write
from conftest import LiveServer

TIMEOUT = 15.0


@pytest.fixture
async def http(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=TIMEOUT) as client:
        yield client


async def take(events: AsyncIterator[ServerSentEvent], count: int) -> list[ServerSentEvent]:
    """The next `count` events. httpx-sse hands the heartbeat comment over as a "message"
    with no data and the last id (the spec dispatches nothing for it): those are skipped."""
    taken: list[ServerSentEvent] = []
    async with asyncio.timeout(TIMEOUT):
        while len(taken) < count:
            event = await anext(events)
            if event.data:
                taken.append(event)
    return taken


def seqs(events: list[ServerSentEvent]) -> list[int]:
    return [int(event.id) for event in events]


async def test_replay_after_last_event_id_then_live(http: httpx.AsyncClient) -> None:
    book = await paired(http)  # records 1..4
    for text in ("one", "two", "three"):
        assert (await write(http, book, book.creator, text)).status_code == 201  # 5..7
    headers = {**book.joiner.auth, "Last-Event-ID": "3"}
    url = f"/v1/notebooks/{book.id}/events"
    async with aconnect_sse(http, "GET", url, headers=headers) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = aiter(source.aiter_sse())
        replayed = await take(events, 4)
        assert seqs(replayed) == [4, 5, 6, 7]
        assert [e.event for e in replayed] == ["member.approved", "entry", "entry", "entry"]
        assert replayed[1].json()["seq"] == 5 and replayed[1].json()["kind"] == "entry"

        assert (await write(http, book, book.creator, "four")).status_code == 201
        await http.post(f"/v1/notebooks/{book.id}/pen/pass", headers=passing(book, book.creator))
        live = await take(events, 2)
        assert seqs(live) == [8, 9] and live[1].json()["to"] == book.joiner.member_id


async def test_after_parameter_and_a_pending_joiner_sees_its_approval(
    http: httpx.AsyncClient,
) -> None:
    book = Book()
    await create(http, book)
    await claim(http, book, await invite(http, book))
    url = f"/v1/notebooks/{book.id}/events?after=1"
    async with aconnect_sse(http, "GET", url, headers=book.joiner.auth) as source:
        events = aiter(source.aiter_sse())
        assert [e.event for e in await take(events, 1)] == ["member.joined"]
        approve = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/approve"
        assert (await http.post(approve, headers=book.creator.auth)).status_code == 200
        approved: dict[str, Any] = (await take(events, 1))[0].json()
        assert approved["kind"] == "member.approved"
        assert approved["member"] == book.joiner.member_id


async def test_many_writes_arrive_in_order_without_gaps(http: httpx.AsyncClient) -> None:
    book = await paired(http)
    url = f"/v1/notebooks/{book.id}/events"
    async with aconnect_sse(http, "GET", url, headers=book.creator.auth) as source:
        events = aiter(source.aiter_sse())
        assert seqs(await take(events, 4)) == [1, 2, 3, 4]
        for index in range(20):
            assert (await write(http, book, book.creator, f"line {index}")).status_code == 201
        assert seqs(await take(events, 20)) == list(range(5, 25))


async def test_stream_needs_membership(http: httpx.AsyncClient) -> None:
    book = await paired(http)
    other = Book()
    await create(http, other)
    response = await http.get(f"/v1/notebooks/{book.id}/events", headers=other.creator.auth)
    assert response.status_code == 404
    response = await http.get(f"/v1/notebooks/{book.id}/events", headers={"Last-Event-ID": "1"})
    assert response.status_code == 401


async def test_streams_end_cleanly_when_the_server_stops(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=TIMEOUT) as http:
        book = await paired(http)
        url = f"/v1/notebooks/{book.id}/events"
        async with aconnect_sse(http, "GET", url, headers=book.creator.auth) as source:
            events = aiter(source.aiter_sse())
            await take(events, 4)
            stopping = asyncio.get_running_loop().run_in_executor(None, live_server.stop)
            async with asyncio.timeout(TIMEOUT):
                remaining = [event async for event in events]
            assert remaining == []
            assert await stopping in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM when done
    assert "Traceback" not in live_server.log()
