"""The live stream's delivery rules, driven through the ASGI app itself: every chunk exactly
as the server sends it, and a client that can stop reading or leave when the test says so.
(tests/api/test_events.py runs the same stream behind a real server.)"""

import asyncio
import json
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx_sse import EventSource

from api.helpers import (
    Book,
    Device,
    aad,
    acting,
    b64,
    claim,
    create,
    draft,
    invite,
    new_id,
    paired,
    problem,
    records,
    seal,
    write,
)
from unspoken.app import create_app
from unspoken.broker import MemoryBroker
from unspoken.server import live
from unspoken.settings import Settings

TIMEOUT = 10.0
SSE = {"content-type": "text/event-stream"}
Event = dict[str, Any]


class Watch:
    """One live stream, opened by calling the app; `hold()` stops reading (the server's next
    send waits), `release()` reads again; leaving the block is the client going away."""

    def __init__(self, app: FastAPI, book: Book, device: Device, after: int = 0) -> None:
        self.app, self.path = app, f"/v1/notebooks/{book.id}/events"
        token = device.auth["Authorization"].encode()
        self.headers = [(b"host", b"testserver"), (b"authorization", token)]
        self.query = f"after={after}".encode()
        self.reading = asyncio.Event()
        self.reading.set()
        self.left = asyncio.Event()
        self.buffer, self.parsed = b"", asyncio.Queue[Event]()
        self.fields: Event = {}
        self.raw = b""  # every byte of the body so far
        self.status = 0

    async def __aenter__(self) -> "Watch":
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": self.path, "raw_path": self.path.encode(),
            "query_string": self.query, "headers": self.headers, "root_path": "",
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        }  # fmt: skip
        self.task = asyncio.create_task(self.app(scope, self._receive, self._send))
        return self

    async def __aexit__(self, *_: object) -> None:
        self.left.set()
        self.reading.set()
        await asyncio.wait_for(self.task, TIMEOUT)

    def hold(self) -> None:
        self.reading.clear()

    def release(self) -> None:
        self.reading.set()

    async def _receive(self) -> dict[str, Any]:
        if not hasattr(self, "asked"):
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            return
        await self.reading.wait()
        self.raw += message.get("body", b"")
        self.buffer += message.get("body", b"")
        *lines, rest = self.buffer.split(b"\n")
        self.buffer = rest
        for line in lines:
            self._line(line.decode())

    def _line(self, line: str) -> None:
        """As the SSE spec reads: a comment is skipped (kept here apart, to be counted); a
        blank line ends an event, which is handed out only if it has data."""
        if line.startswith(":"):
            self.parsed.put_nowait({"comment": line[1:].strip()})
        elif line:
            name, _, value = line.partition(":")
            self.fields[name] = value.removeprefix(" ")
        elif self.fields:
            event, self.fields = self.fields, {}
            if "data" in event:
                event["data"] = json.loads(event["data"])
                self.parsed.put_nowait(event)

    async def events(self, count: int, comments: bool = False) -> list[Event]:
        found: list[Event] = []
        async with asyncio.timeout(TIMEOUT):
            while len(found) < count:
                event = await self.parsed.get()
                if comments or "comment" not in event:
                    found.append(event)
        return found

    async def ended(self) -> None:
        """The server finished the response by itself (the client did not leave)."""
        await asyncio.wait_for(asyncio.shield(self.task), TIMEOUT)
        assert not self.left.is_set()


def seqs(events: list[Event]) -> list[int]:
    return [int(event["id"]) for event in events]


async def test_a_stream_that_falls_behind_catches_up_from_the_store(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "QUEUE_SIZE", 4)  # a mailbox this small drops records soon
    book = await paired(client)  # records 1..4
    async with Watch(app, book, book.joiner) as watch:
        assert seqs(await watch.events(4)) == [1, 2, 3, 4]
        watch.hold()  # the client stops reading: the server's next send waits
        for n in range(12):
            assert (await write(client, book, book.creator, f"line {n}")).status_code == 201
        watch.release()
        caught_up = await watch.events(12)
        assert seqs(caught_up) == list(range(5, 17)), "every record, in order, once"
        assert {e["event"] for e in caught_up} == {"entry"}


async def test_a_declined_joiners_stream_ends_with_the_news(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = Book()
    await create(client, book)
    await claim(client, book, await invite(client, book))  # records 1, 2: created, joined
    async with Watch(app, book, book.joiner) as watch:
        assert [e["event"] for e in await watch.events(2)] == ["notebook.created", "member.joined"]
        url = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/decline"
        assert (await client.post(url, headers=book.creator.auth)).status_code == 200
        (declined,) = await watch.events(1)
        assert declined["event"] == "member.declined"
        assert declined["data"]["member"] == book.joiner.member_id
        await watch.ended()


async def test_draft_frames_reach_the_partner_only(app: FastAPI, client: httpx.AsyncClient) -> None:
    book = await paired(client)
    async with Watch(app, book, book.creator) as mine, Watch(app, book, book.joiner) as theirs:
        await mine.events(4)
        await theirs.events(4)
        frame = draft(book, book.creator, "I never meant", new_id(), 0)
        url = f"/v1/notebooks/{book.id}/drafts"
        assert (await client.post(url, json=frame, headers=book.creator.auth)).status_code == 202
        assert (await write(client, book, book.creator, "I never meant")).status_code == 201
        relayed, entry = await theirs.events(2)
        assert relayed["event"] == "draft" and "id" not in relayed
        assert relayed["data"]["ct"] == frame["ct"]
        assert (entry["event"], entry["id"]) == ("entry", "5")
        assert [e["event"] for e in await mine.events(1)] == ["entry"]  # no echo of my draft


async def test_an_idle_stream_gets_a_comment_and_leaving_frees_everything(
    settings: Settings,
) -> None:
    quick = create_app(replace(settings, ping_seconds=0.5))
    async with quick.router.lifespan_context(quick):
        transport = httpx.ASGITransport(app=quick)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            book = await paired(http)
            async with Watch(quick, book, book.joiner) as watch:
                await watch.events(4)
                (ping,) = await watch.events(1, comments=True)
                assert ping == {"comment": "ping"}
                assert (await write(http, book, book.creator, "after a ping")).status_code == 201
                assert seqs(await watch.events(1)) == [5]
                # httpx-sse (the SDK's reader) sees exactly the records: the comment must not
                # end an event of its own, which it would hand out again with the last id.
                body = httpx.Response(200, headers=SSE, content=watch.raw)
                read = [e.id for e in EventSource(body).iter_sse()]
                assert read == ["1", "2", "3", "4", "5"]
            services = quick.state.services
            assert services.streams.streams == 0
            assert isinstance(services.broker, MemoryBroker) and services.broker.watched() == []


def seen(book: Book, device: Device, upto: int, n: int) -> dict[str, Any]:
    """A read position, sealed under the notebook's key and signed by the device."""
    additional = aad("seen", book.id, device.id, str(n))
    box = seal(book.ck, json.dumps({"seq": upto}).encode(), additional)
    return {"n": n, "ct": b64(box), "sig": b64(device.sign(additional, box))}


async def test_a_read_position_reaches_the_partner_live_and_is_never_kept(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = await paired(client)
    assert (await write(client, book, book.creator, "Are you there?")).status_code == 201
    before = await records(client, book, book.creator)
    url = f"/v1/notebooks/{book.id}/seen"
    async with Watch(app, book, book.creator) as mine, Watch(app, book, book.joiner) as theirs:
        await mine.events(5)
        await theirs.events(5)
        frame = seen(book, book.joiner, 5, 1765000000000)
        assert (await client.post(url, json=frame, headers=book.joiner.auth)).status_code == 202
        assert (await write(client, book, book.creator, "Good.")).status_code == 201
        relayed, entry = await mine.events(2)
        assert relayed["event"] == "seen" and "id" not in relayed
        assert relayed["data"]["ct"] == frame["ct"] and relayed["data"]["n"] == frame["n"]
        assert relayed["data"]["member"] == book.joiner.member_id
        # The position is sealed: the frame says nothing in the clear of how far.
        assert "5" not in {str(v) for k, v in relayed["data"].items() if k not in ("ct", "sig")}
        assert (entry["event"], entry["id"]) == ("entry", "6")
        assert [e["event"] for e in await theirs.events(1)] == ["entry"]  # no echo to the reader
    after = await records(client, book, book.creator)
    assert [r["kind"] for r in after] == [r["kind"] for r in before] + ["entry"]


async def test_a_read_position_must_be_signed_by_a_present_member(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/seen"
    forged = seen(book, book.creator, 3, 7) | {"n": 8}  # signed for another n
    problem(await client.post(url, json=forged, headers=book.joiner.auth), 422)
    theirs = seen(book, book.creator, 3, 7)  # the creator's signature, sent as the joiner
    problem(await client.post(url, json=theirs, headers=book.joiner.auth), 422)
    problem(await client.post(url, json=seen(book, book.joiner, 3, 7)), 401)
    problem(
        await client.post(url, json={"n": -1, "ct": "x", "sig": "y"}, headers=book.joiner.auth), 422
    )
    left = acting(book, book.creator, ("member.left", "", "", ""))
    leave = await client.post(f"/v1/notebooks/{book.id}/leave", headers=left)
    assert leave.status_code == 200, leave.text
    gone = await client.post(url, json=seen(book, book.joiner, 3, 9), headers=book.joiner.auth)
    problem(gone, 409)
