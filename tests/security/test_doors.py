"""The doors, checked where tests/security/test_hardening.py does not already: CORS stays
shut, every state change from another site's page is refused, tokens are random and kept only
as hashes, writes and new notebooks are slowed down, a real server refuses an oversized
chunked body, and no secret is ever compared with `==`.
"""

import ast
import hashlib
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from api.helpers import (
    PROBLEM,
    Book,
    Unchanged,
    act_header,
    acting,
    create,
    paired,
    problem,
    unb64,
)
from conftest import LiveServer
from unspoken.api.ratelimit import DEFAULT_LIMITS, RateLimit
from unspoken.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "unspoken"
UNSAFE = ("post", "put", "patch", "delete")


async def test_a_cross_origin_preflight_is_given_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = await paired(client)
    asking = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    for path in app.openapi()["paths"]:
        url = path.replace("{nb}", book.id)
        for answer in (
            await client.options(url, headers=asking),
            await client.get(url, headers={"Origin": "https://evil.example"}),
        ):
            assert not [h for h in answer.headers if h.startswith("access-control-")], url


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil"])
async def test_no_state_change_from_another_sites_page(
    app: FastAPI, client: httpx.AsyncClient, origin: str
) -> None:
    book = await paired(client)
    operations = [(m, p) for p, item in app.openapi()["paths"].items() for m in item if m in UNSAFE]
    assert len(operations) >= 20
    async with Unchanged(client, book):
        for method, path in operations:
            url = path.replace("{nb}", book.id).replace("{member}", book.joiner.member_id)
            answer = await client.request(
                method.upper(), url, json={}, headers={**book.creator.auth, "Origin": origin}
            )
            assert problem(answer, 403)["title"] == "Wrong origin", (method, path)


async def test_device_tokens_are_random_and_kept_only_as_hashes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    books = [await paired(client) for _ in range(3)]
    tokens = [unb64(d.token) for b in books for d in (b.creator, b.joiner)]
    assert all(len(token) == 32 for token in tokens)  # 256 bits from secrets.token_bytes
    assert len(set(tokens)) == len(tokens)
    database = Path(settings.database)
    stored = b"".join(p.read_bytes() for p in database.parent.glob(f"{database.name}*"))
    for book in books:
        for device in (book.creator, book.joiner):
            assert unb64(device.token) not in stored and device.token.encode() not in stored
            assert hashlib.sha256(unb64(device.token)).digest() in stored  # the hash is
    with sqlite3.connect(database) as db:
        hashes = [bytes(row[0]) for row in db.execute("SELECT token_hash FROM devices")]
    db.close()
    assert sorted(hashes) == sorted(hashlib.sha256(t).digest() for t in tokens)


def _assert_slowed_down(answer: httpx.Response) -> None:
    body = problem(answer, 429)
    assert int(answer.headers["retry-after"]) >= 1
    assert "Try again in" in body["detail"]


async def test_one_device_writing_too_fast_is_slowed_down(limited: httpx.AsyncClient) -> None:
    """Burst of 100, then 20 a second, counted against the device its token proves: spelling
    the header another way is the same device, and the partner's device has its own."""
    book = await paired(limited)
    url = f"/v1/notebooks/{book.id}/pen/ask"
    token = book.creator.token
    spellings = (f"Bearer {token}", f"bearer {token}", f"BEARER {token}")
    knock = act_header(book.id, book.creator, ("pen.asked", "1", "", ""))
    answers = [
        await limited.post(url, headers={"Authorization": spellings[n % 3], "Unspoken-Act": knock})
        for n in range(150)
    ]
    statuses = [a.status_code for a in answers]
    assert 401 not in statuses  # every spelling authenticates
    assert 429 not in statuses[:90]  # the burst, less what pairing used, is honoured
    assert 429 in statuses
    _assert_slowed_down(answers[statuses.index(429)])
    other = await limited.post(url, headers=acting(book, book.joiner, ("pen.asked", "1", "", "")))
    assert other.status_code != 429  # another device has its own allowance


async def test_made_up_tokens_never_reach_the_per_device_table(
    limited: httpx.AsyncClient,
) -> None:
    url = "/v1/notebooks/AAAAAAAAAAAAAAAAAAAAAA/pen/pass"
    answers = [
        await limited.post(url, headers={"Authorization": f"Bearer made-up-{n}"})
        for n in range(300)
    ]
    assert {a.status_code for a in answers} == {401}
    app = limited._transport.app  # type: ignore[attr-defined]
    devices = app.state.device_limits.buckets
    assert all(devices.size(limit) == 0 for limit in devices.limits)


async def test_a_flood_of_made_up_tokens_is_stopped_by_its_address() -> None:
    """The limit by address, before any token is read: 1,000 at once, then 200 a second."""
    reached: list[str] = []

    async def door(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope["path"])
        await PlainTextResponse("door", status_code=401)(scope, receive, send)

    limiter = RateLimit(door, DEFAULT_LIMITS)
    now = [0.0]
    limiter.buckets.clock = lambda: now[0]
    transport = httpx.ASGITransport(app=limiter, client=("203.0.113.7", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://unspoken") as http:
        url = "/v1/notebooks/AAAAAAAAAAAAAAAAAAAAAA/pen/pass"
        statuses = [
            (await http.post(url, headers={"Authorization": f"Bearer made-up-{n}"})).status_code
            for n in range(1001)
        ]
        assert statuses == [401] * 1000 + [429]
        now[0] += 1.0
        assert (await http.post(url)).status_code == 401  # refilled with time
    assert len(reached) == 1001


async def test_beginning_many_notebooks_from_one_address_is_slowed_down(
    limited: httpx.AsyncClient,
) -> None:
    made = [(await create(limited, Book())).status_code for _ in range(20)]
    assert made == [201] * 20
    _assert_slowed_down(await limited.post("/v1/notebooks", json=Book().create_body()))


def _raw_request(server: LiveServer, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_real_server_refuses_a_chunked_body_over_the_limit(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory()
    chunk = b" " * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    head = (
        b"POST /v1/notebooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    answer = _raw_request(server, head + body)
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413"), answer[:300]
    assert PROBLEM.encode() in rest and b"256 KiB" in rest


def test_a_real_server_sends_hsts_only_when_the_proxy_says_tls(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory()
    plain = httpx.get(f"{server.url}/healthz")
    proxied = httpx.get(f"{server.url}/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in plain.headers
    assert proxied.headers["strict-transport-security"].startswith("max-age=63072000")


# Secrets are compared with hmac.compare_digest, or looked up by their SHA-256 in the store.
_SECRET = ("token", "claim", "mac", "secret")
_BY_THE_DATABASE = {("store/reads.py", "devices.c.token_hash == token_hash")}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def test_no_secret_is_compared_with_equals() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        source = path.read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Compare):
                continue
            if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
                continue
            if any(word in name.lower() for name in _names(node) for word in _SECRET):
                where = (path.relative_to(SRC).as_posix(), ast.get_source_segment(source, node))
                if where not in _BY_THE_DATABASE:
                    found.append(where)
    assert found == []
