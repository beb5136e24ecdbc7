"""Cross-cutting HTTP behaviour: problems, security headers, logging, pages, OpenAPI."""

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.helpers import paired, problem, write
from conftest import Clock
from unspoken.api.middleware import CONTENT_SECURITY_POLICY
from unspoken.app import create_app
from unspoken.settings import Settings
from unspoken.store.work import Work


def assert_secured(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in response.headers


async def test_unknown_routes_and_methods_are_problems(client: httpx.AsyncClient) -> None:
    assert_secured(problem(await client.get("/v1/nothing-here"), 404) and await client.get("/"))
    wrong = await client.delete("/healthz")
    problem(wrong, 405)
    assert_secured(wrong)


async def test_security_headers_on_success_and_stream_errors(client: httpx.AsyncClient) -> None:
    assert_secured(await client.get("/healthz"))
    assert_secured(await client.post("/v1/notebooks", content=b"x" * 300_000))


async def test_an_unexpected_error_reveals_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = await paired(client)
    store = app.state.services.store

    async def explode(work: Work[Any]) -> None:  # the append's work holds the ciphertext
        raise RuntimeError(f"{book.creator.token} {work!r}")

    monkeypatch.setattr(store, "write", explode)
    with caplog.at_level(logging.DEBUG):
        response = await write(client, book, book.creator, "boom")
    body = problem(response, 500)
    assert_secured(response)
    assert book.creator.token not in response.text + str(body) + caplog.text
    assert "ct" not in body and "RuntimeError" in caplog.text


async def test_logs_hold_no_tokens_or_content(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        book = await paired(client)
        body = (await write(client, book, book.creator, "private words")).json()
    assert book.creator.token not in caplog.text and book.joiner.token not in caplog.text
    assert body["hash"] not in caplog.text
    assert "POST /v1/notebooks" in caplog.text


async def test_the_browser_client_is_served_with_no_cache(tmp_path: Path, clock: Clock) -> None:
    web = tmp_path / "web"
    (web / "static" / "js").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>Unspoken</title>")
    (web / "static" / "js" / "app.js").write_text("export {};")
    app = create_app(Settings(database=tmp_path / "db.sqlite", clock=clock, web_dir=web))
    async with app.router.lifespan_context(app):
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        async with http:
            for path in ("/", "/join/abc", "/n/xyz"):
                page = await http.get(path)
                assert page.status_code == 200 and "Unspoken" in page.text
                assert page.headers["cache-control"] == "no-cache"
                assert_secured(page)
            script = await http.get("/static/js/app.js")
            assert script.status_code == 200 and script.headers["cache-control"] == "no-cache"
            problem(await http.get("/static/js/missing.js"), 404)


async def test_a_missing_page_shell_is_a_404_problem(tmp_path: Path, clock: Clock) -> None:
    app = create_app(
        Settings(database=tmp_path / "db.sqlite", clock=clock, web_dir=tmp_path / "none")
    )
    async with app.router.lifespan_context(app):
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        async with http:
            problem(await http.get("/"), 404)


async def test_openapi_describes_every_route(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/v1/notebooks",
        "/v1/notebooks/{nb}",
        "/v1/notebooks/{nb}/invites",
        "/v1/notebooks/{nb}/invites/{invite}",
        "/v1/invites/{invite}/claim",
        "/v1/notebooks/{nb}/profile",
        "/v1/notebooks/{nb}/members/{member}/approve",
        "/v1/notebooks/{nb}/members/{member}/decline",
        "/v1/notebooks/{nb}/entries",
        "/v1/notebooks/{nb}/pen/pass",
        "/v1/notebooks/{nb}/records",
        "/v1/notebooks/{nb}/events",
        "/healthz",
    ):
        assert path in paths, path
    assert "/" not in paths and "HTTPBearer" in schema["components"]["securitySchemes"]
