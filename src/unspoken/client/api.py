"""The HTTP API as plain calls: JSON in, JSON out, problems raised as UnspokenError."""

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import httpx
from httpx_sse import aconnect_sse

from unspoken.client.errors import UnspokenError

Json = dict[str, Any]


class Api:
    """One device's connection to one server."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(30.0), verify=_tls()
        )

    async def close(self) -> None:
        await self._http.aclose()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(self, method: str, path: str, body: Json | None = None) -> tuple[int, Json]:
        response = await self._http.request(method, path, json=body, headers=self._headers())
        if response.status_code >= 400:
            _raise(response)
        return response.status_code, (response.json() if response.content else {})

    async def stream(self, path: str, last_seq: int) -> AsyncIterator[Json]:
        """Records from the live stream, resuming after last_seq."""
        headers = {**self._headers(), "Last-Event-ID": str(last_seq)}
        timeout = httpx.Timeout(30.0, read=None)
        async with aconnect_sse(
            self._http, "GET", path, headers=headers, timeout=timeout
        ) as source:
            if source.response.status_code >= 400:
                await source.response.aread()
                _raise(source.response)
            async for event in source.aiter_sse():
                if event.data:
                    yield event.json()


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs ~85 ms of CPU each time."""
    return ssl.create_default_context()


@asynccontextmanager
async def opened(base_url: str) -> AsyncIterator[Api]:
    """An Api that is closed again if what is done with it fails (a refused join, say)."""
    api = Api(base_url)
    try:
        yield api
    except BaseException:
        await api.close()
        raise


def _raise(response: httpx.Response) -> None:
    try:
        problem = response.json()
        detail = str(problem.get("detail") or problem.get("title") or response.reason_phrase)
    except ValueError:
        problem, detail = {}, response.reason_phrase
    raise UnspokenError(response.status_code, detail, problem)
