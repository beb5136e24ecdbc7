"""Hardening at the door: another site's page is refused, TLS gets HSTS, floods get 429."""

import logging
import re

import httpx
import pytest
from fastapi import FastAPI

from api.helpers import Book, new_id
from unspoken.api.ratelimit import DEFAULT_LIMITS, Buckets, Limit

EVIL = {"Origin": "https://evil.example"}


async def test_another_sites_page_cannot_create_a_notebook(client: httpx.AsyncClient) -> None:
    book = Book()
    refused = await client.post("/v1/notebooks", json=book.create_body(), headers=EVIL)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    answer = await client.post("/v1/notebooks", json=book.create_body())  # nothing was made
    assert answer.status_code == 201


async def test_the_servers_own_page_may(client: httpx.AsyncClient) -> None:
    own = {"Origin": str(client.base_url).rstrip("/")}
    answer = await client.post("/v1/notebooks", json=Book().create_body(), headers=own)
    assert answer.status_code == 201


async def test_another_sites_page_cannot_open_the_live_stream(client: httpx.AsyncClient) -> None:
    answer = await client.get(f"/v1/notebooks/{new_id()}/events", headers=EVIL)
    assert answer.status_code == 403


async def test_hsts_only_over_tls(app: FastAPI) -> None:
    for scheme, expected in (("https", True), ("http", False)):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"{scheme}://unspoken") as http:
            answer = await http.get("/healthz")
        assert ("strict-transport-security" in answer.headers) is expected


async def test_guessing_invite_links_is_slowed_down(limited: httpx.AsyncClient) -> None:
    body = {"claim": "A" * 43, "device_key": "A" * 43, "key_mac": "A" * 43}
    answers = [await limited.post(f"/v1/invites/{new_id()}/claim", json=body) for _ in range(6)]
    assert [a.status_code for a in answers[:5]] == [404] * 5
    assert answers[5].status_code == 429
    assert int(answers[5].headers["retry-after"]) >= 1
    assert re.search(r"Try again in \d+ s", answers[5].json()["detail"])


def test_a_bucket_refills_with_time() -> None:
    now = [0.0]
    writes = next(limit for limit in DEFAULT_LIMITS if limit.name == "writes")
    buckets = Buckets((writes,), clock=lambda: now[0])
    assert all(buckets.wait(writes, "device") == 0 for _ in range(writes.burst))
    assert buckets.wait(writes, "device") == pytest.approx(1 / writes.per_second)
    assert buckets.wait(writes, "another device") == 0  # each key has its own bucket
    now[0] += 1.0
    assert buckets.wait(writes, "device") == 0


def test_a_limit_keeps_at_most_its_capacity_forgetting_the_least_recently_used() -> None:
    writes = next(limit for limit in DEFAULT_LIMITS if limit.name == "writes")
    buckets = Buckets((writes,), capacity=3)
    for _ in range(writes.burst):
        buckets.wait(writes, "busy")  # used up
    for key in ("a", "b"):
        buckets.wait(writes, key)
    assert buckets.wait(writes, "busy") > 0  # used last: it stays, still limited
    for n in range(10_000):
        buckets.wait(writes, f"flood-{n}")
    assert buckets.size(writes) == 3  # bounded however many keys come
    assert buckets.wait(writes, "busy") == 0  # pushed out by the flood: a fresh bucket


def test_every_limit_is_generous_enough_for_a_person() -> None:
    by_name: dict[str, Limit] = {limit.name: limit for limit in DEFAULT_LIMITS}
    assert by_name["writes"].per_second >= 5  # a person types far slower
    assert by_name["claims"].burst >= 3  # a mistyped link or two


async def test_a_newline_in_a_path_cannot_forge_an_access_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "/v1/notebooks/x%0a2026-12-06 12:00:00,000 INFO unspoken.access: GET /admin 200"
    with caplog.at_level(logging.INFO, logger="unspoken.access"):
        await client.get(forged)
        await client.get("/v1/notebooks/x%E2%80%A8y%0d")  # a line separator, a carriage return
    lines = [r.getMessage() for r in caplog.records if r.name == "unspoken.access"]
    assert len(lines) == 2
    assert all("\n" not in line and "\r" not in line and "\u2028" not in line for line in lines)
    assert "%0a2026-12-06" in lines[0]  # as sent, still percent-encoded
