"""The HTTP API as plain calls: JSON in, JSON out, problems raised as UnspokenError."""

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import httpx
from httpx_sse import aconnect_sse

from unspoken.client.errors import UnspokenError
from unspoken.protocol.acts import Fields

Json = dict[str, Any]
RETRY_WINDOW_SECONDS = 30.0  # long enough to ride out a server restart
BACKOFF_FIRST, BACKOFF_CAP = 0.1, 2.0  # seconds: 0.1, 0.2, 0.4 … then every 2 s
# An idle connection is let go after this long, before the server closes its end (5 s for
# `unspoken serve`, as for most servers): a request sent on a connection at the moment the
# server closes it fails, and waits out a retry. httpx's default is the same 5 s, so a
# device writing every ~5 s lost that race now and then (docs/performance.md).
IDLE_CONNECTION_SECONDS = 4.0
_LIMITS = httpx.Limits(  # httpx's default pool, with this expiry
    max_connections=100, max_keepalive_connections=20, keepalive_expiry=IDLE_CONNECTION_SECONDS
)
# The connection was never made, so the request never left: safe to send again, whatever it is.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


class Api:
    """One device's connection to one server.

    Calls ride out a restart: for up to `retry_window` seconds, with capped backoff, a call
    is sent again after a 503 (the server saved nothing) or a connection that could not be made;
    GETs and calls marked idempotent (an append carries its entry id) also after any transport
    error, e.g. a response lost after the server committed. Never after a 4xx.
    """

    def __init__(
        self, base_url: str, token: str | None = None, retry_window: float = RETRY_WINDOW_SECONDS
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry_window = retry_window
        self.retried = 0  # attempts sent again so far: what a test or a log wants to know
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(30.0), verify=_tls(), limits=_LIMITS
        )

    async def close(self) -> None:
        await self._http.aclose()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(
        self,
        method: str,
        path: str,
        body: Json | None = None,
        idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Json]:
        """One request, retried as the class says; `idempotent` defaults to "a GET"."""
        safe = method == "GET" if idempotent is None else idempotent
        sent = {**self._headers(), **(headers or {})}
        deadline, attempt = time.monotonic() + self.retry_window, 0
        while True:
            try:
                response = await self._http.request(method, path, json=body, headers=sent)
            except httpx.TransportError as exc:
                retry = safe or isinstance(exc, _NEVER_SENT)
                if not (retry and await self._pause(attempt, deadline, None)):
                    raise
            else:
                if response.status_code != 503:
                    break
                if not await self._pause(attempt, deadline, response):
                    break
            attempt += 1
        if response.status_code >= 400:
            _raise(response)
        return response.status_code, (response.json() if response.content else {})

    async def _pause(self, attempt: int, deadline: float, refused: httpx.Response | None) -> bool:
        """Wait before trying again; False if that would end after the retry window."""
        wait = min(BACKOFF_CAP, BACKOFF_FIRST * 2**attempt)
        if refused is not None:
            wait = max(wait, _retry_after(refused))
        if time.monotonic() + wait > deadline:
            return False
        self.retried += 1
        await asyncio.sleep(wait)
        return True

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


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else 0.0


def _raise(response: httpx.Response) -> None:
    try:
        problem = response.json()
        detail = str(problem.get("detail") or problem.get("title") or response.reason_phrase)
    except ValueError:
        problem, detail = {}, response.reason_phrase
    raise UnspokenError(response.status_code, detail, problem)


Acts = Sequence[tuple[str, Fields]]  # (kind, (subject, outcome, item)) of each act, in order


class NotebookCalls:
    """The calls about one notebook: paths under /v1/notebooks/{id}, answers as JSON. `sign`
    turns the acts a call makes into the header that carries their signatures (protocol v2)."""

    def __init__(
        self, api: Api, notebook_id: str, sign: Callable[[Acts], Mapping[str, str]] | None = None
    ) -> None:
        self.api = api
        self.base = f"/v1/notebooks/{notebook_id}"
        self._sign = sign

    async def act(self, path: str, acts: Acts, body: Json | None = None) -> Json:
        """A call that acts: each of `acts` signed by this device, as the log will hold them."""
        if self._sign is None:
            raise RuntimeError("these calls cannot sign acts")
        headers = self._sign(acts)
        return (await self.api.call("POST", f"{self.base}{path}", body, headers=headers))[1]

    async def get(self, path: str) -> Json:
        return (await self.api.call("GET", f"{self.base}{path}"))[1]

    async def post(self, path: str, body: Json | None = None) -> Json:
        return (await self.api.call("POST", f"{self.base}{path}", body))[1]
