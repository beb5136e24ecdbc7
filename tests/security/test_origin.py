"""A browser's Origin must be this server's own: scheme, host and port, or exactly the
configured public origin (`--public-origin`); the Python SDK sends none and passes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx

from unspoken.app import create_app
from unspoken.settings import Settings


@asynccontextmanager
async def _client(settings: Settings, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            yield http


async def _refused(http: httpx.AsyncClient, origin: str) -> bool:
    """Whether a state change from a page at `origin` is refused as from another site."""
    answer = await http.post("/v1/notebooks", json={}, headers={"Origin": origin})
    assert answer.status_code in (403, 422), answer.text  # 422: let through, then the body
    return answer.status_code == 403 and answer.json()["title"] == "Wrong origin"


async def test_without_a_public_origin_scheme_host_and_port_must_be_the_requests_own(
    settings: Settings,
) -> None:
    async with _client(settings, "http://unspoken") as http:
        assert not await _refused(http, "http://unspoken")
        assert not await _refused(http, "http://unspoken:80")
        assert await _refused(http, "https://unspoken")  # another scheme, same host
        assert await _refused(http, "http://unspoken:8080")
        assert await _refused(http, "http://evil.example")
    async with _client(settings, "https://unspoken:8443") as http:
        assert not await _refused(http, "https://unspoken:8443")
        assert await _refused(http, "http://unspoken:8443")
        assert await _refused(http, "https://unspoken")


async def test_a_public_origin_is_the_only_one_accepted(settings: Settings) -> None:
    public = replace(settings, public_origin="https://notebook.example")
    async with _client(public, "http://127.0.0.1:8000") as http:
        assert not await _refused(http, "https://notebook.example")
        assert not await _refused(http, "https://notebook.example:443")
        assert await _refused(http, "http://notebook.example")
        assert await _refused(http, "https://notebook.example:8443")
        assert await _refused(http, "https://other.notebook.example")
        assert await _refused(http, "http://127.0.0.1:8000")  # the request's own host, even
