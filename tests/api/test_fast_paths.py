"""The fast paths (api/fast_paths.py) answer exactly as the routes they skip.

HTTPBearer takes the scheme in any case and the fast path only "Bearer": the same request
spelt "bearer" goes through FastAPI's route, which is how each pair below is compared.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI
from httpx_sse import ServerSentEvent, aconnect_sse

from api.helpers import Book, new_id, paired, problem, unb64, write
from conftest import LiveServer
from unspoken.api import fast_paths
from unspoken.api.events import EventStream

_JSON = {"Content-Type": "application/json"}


def _url(book: Book) -> str:
    return f"/v1/notebooks/{book.id}/entries"


def _spelt(token: str, scheme: str) -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


async def _both(
    http: httpx.AsyncClient, url: str, token: str, **request: Any
) -> tuple[httpx.Response, httpx.Response]:
    """The same request through the fast path, then through the route."""
    more = request.pop("headers", {})
    fast = await http.post(url, headers=_spelt(token, "Bearer") | more, **request)
    routed = await http.post(url, headers=_spelt(token, "bearer") | more, **request)
    return fast, routed


def _same(fast: httpx.Response, routed: httpx.Response) -> None:
    assert fast.status_code == routed.status_code, (fast.text, routed.text)
    assert fast.headers["content-type"] == routed.headers["content-type"]
    assert fast.headers.get("retry-after") == routed.headers.get("retry-after")
    assert fast.json() == routed.json()


async def _prev(http: httpx.AsyncClient, book: Book) -> bytes:
    view = (await http.get(f"/v1/notebooks/{book.id}", headers=book.creator.auth)).json()
    return unb64(view["head"]["hash"])


async def test_a_well_formed_append_is_answered_by_the_fast_path(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = await paired(client)
    body = book.entry_body(book.creator, "by the short way", await _prev(client, book))
    raw = json.dumps(body).encode()

    def scope(scheme: str) -> dict[str, Any]:
        headers = [(b"authorization", f"{scheme} {book.creator.token}".encode())]
        headers.append((b"content-type", b"application/json"))
        return {"type": "http", "method": "POST", "path": _url(book), "headers": headers}

    passed = await fast_paths._append(scope("bearer") | {"app": app}, book.id, raw)
    answered = await fast_paths._append(scope("Bearer") | {"app": app}, book.id, raw)
    assert passed is None  # left to the route
    assert answered is not None and answered.status_code == 201


async def test_an_append_and_its_retry_answer_alike_either_way(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    token = book.creator.token
    first = book.entry_body(book.creator, "the fast way first", await _prev(client, book))
    fast, routed = await _both(client, _url(book), token, json=first)
    assert (fast.status_code, routed.status_code) == (201, 200)
    assert fast.json() == routed.json()
    second = book.entry_body(book.creator, "the route first", unb64(fast.json()["hash"]))
    routed = await client.post(_url(book), headers=_spelt(token, "bearer"), json=second)
    fast = await client.post(_url(book), headers=_spelt(token, "Bearer"), json=second)
    assert (routed.status_code, fast.status_code) == (201, 200)
    assert fast.json() == routed.json()
    records = await client.get(f"/v1/notebooks/{book.id}/records", headers=book.joiner.auth)
    entries = [r["id"] for r in records.json()["records"] if r["kind"] == "entry"]
    assert entries == [first["id"], second["id"]]


async def test_every_refusal_is_the_routes_own(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    prev = await _prev(client, book)
    token, url = book.creator.token, _url(book)
    written = book.entry_body(book.creator, "the first line", prev)
    assert (await client.post(url, headers=book.creator.auth, json=written)).status_code == 201
    forged = book.entry_body(book.creator, "a forged line", unb64(written["prev"]))
    forged["sig"] = book.entry_body(book.creator, "other words", prev)["sig"]
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("a signature over other words", {"json": forged}, 422),
        ("a head that moved on", {"json": book.entry_body(book.creator, "late", prev)}, 409),
        (
            "an entry id again, for other words",
            {"json": book.entry_body(book.creator, "else", prev, entry_id=written["id"])},
            409,
        ),
        ("a field missing", {"json": {k: v for k, v in written.items() if k != "sig"}}, 422),
        ("a body that is not JSON", {"content": b"{", "headers": _JSON}, 422),
        ("JSON that is not an object", {"content": b"[1]", "headers": _JSON}, 422),
        ("a form, not JSON", {"content": b"id=1"}, 422),
    ]
    for what, request, status in cases:
        fast, routed = await _both(client, url, token, **request)
        assert fast.status_code == status, what
        problem(fast, status)
        _same(fast, routed)
    # The partner, who does not hold the pen, and a device of another notebook.
    line = book.entry_body(book.joiner, "my turn?", unb64(written["prev"]))
    _same(*await _both(client, url, book.joiner.token, json=line))
    stranger = await paired(client)
    _same(*await _both(client, url, stranger.creator.token, json=line))
    unknown = await _both(client, url, new_id(), json=line)
    problem(unknown[0], 401)
    _same(*unknown)


async def test_a_request_passed_on_to_the_route_is_counted_once(
    limited: httpx.AsyncClient,
) -> None:
    """The device's burst of 100: each of these appends lacks its signature, so the fast path
    looks at it and passes it on, and the route counts it and refuses it. Counted twice, the
    burst would end near the 50th."""
    book = await paired(limited)
    body = book.entry_body(book.creator, "unsigned", await _prev(limited, book))
    body.pop("sig")
    auth = _spelt(book.creator.token, "Bearer")
    statuses = [
        (await limited.post(_url(book), json=body, headers=auth)).status_code for _ in range(150)
    ]
    assert set(statuses[:90]) == {422}
    assert 429 in statuses


async def test_a_stream_and_its_refusals_are_alike_either_way(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=15.0) as http:
        book = await paired(http)
        for text in ("one", "two"):
            assert (await write(http, book, book.creator, text)).status_code == 201
        url = f"/v1/notebooks/{book.id}/events"
        replays = []
        for scheme in ("Bearer", "bearer"):
            headers = _spelt(book.joiner.token, scheme) | {"Last-Event-ID": "3"}
            async with aconnect_sse(http, "GET", url, headers=headers) as source:
                assert source.response.headers["content-type"].startswith("text/event-stream")
                events = aiter(source.aiter_sse())
                replays.append([(e.id, e.event, e.data) for e in await _take(events, 3)])
        assert replays[0] == replays[1] and [r[0] for r in replays[0]] == ["4", "5", "6"]
        stranger = await paired(http)
        for token, query, headers, status in (
            (new_id(), "", {}, 401),
            (stranger.creator.token, "", {}, 404),
            (book.joiner.token, "", {"Last-Event-ID": "3a"}, 422),
            (book.joiner.token, "?after=-1", {}, 422),
            (book.joiner.token, "?after=x", {}, 422),
        ):
            answers = [
                await http.get(url + query, headers=_spelt(token, scheme) | headers)
                for scheme in ("Bearer", "bearer")
            ]
            problem(answers[0], status)
            _same(*answers)


async def _take(events: AsyncIterator[ServerSentEvent], count: int) -> list[ServerSentEvent]:
    taken: list[ServerSentEvent] = []
    async with asyncio.timeout(15.0):
        while len(taken) < count:
            if (event := await anext(events)).data:
                taken.append(event)
    return taken


async def test_a_well_formed_stream_request_is_answered_by_the_fast_path(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = await paired(client)

    def scope(scheme: str, query: bytes = b"") -> dict[str, Any]:
        headers = [(b"authorization", f"{scheme} {book.joiner.token}".encode())]
        path = f"/v1/notebooks/{book.id}/events"
        return {
            "type": "http",
            "method": "GET",
            "path": path,
            "headers": headers,
            "app": app,
            "query_string": query,
        }

    assert isinstance(await fast_paths._stream(scope("Bearer"), book.id), EventStream)
    assert isinstance(await fast_paths._stream(scope("Bearer", b"after=2"), book.id), EventStream)
    assert await fast_paths._stream(scope("bearer"), book.id) is None
    assert await fast_paths._stream(scope("Bearer", b"after=2&x=1"), book.id) is None
