"""The HTTP API as plain calls: JSON in, JSON out, problems raised as UnspokenError."""

import asyncio
import json
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import aiohttp

from unspoken.client.errors import UnspokenError
from unspoken.protocol.acts import Fields

Json = dict[str, Any]
RETRY_WINDOW_SECONDS = 30.0  # long enough to ride out a server restart
BACKOFF_FIRST, BACKOFF_CAP = 0.1, 2.0  # seconds: 0.1, 0.2, 0.4 … then every 2 s
# An idle connection is let go after this long, before the server closes its end (5 s for
# `unspoken serve`, as for most servers): a request sent on a connection at the moment the
# server closes it fails, and waits out a retry. A device writing every ~5 s lost that race
# now and then when both sides kept a connection 5 s (docs/performance.md).
IDLE_CONNECTION_SECONDS = 4.0
_CALLS = aiohttp.ClientTimeout(total=30.0)
_STREAMING = aiohttp.ClientTimeout(total=None, connect=30.0, sock_connect=30.0, sock_read=None)
# The connection was never made, so the request never left: safe to send again, whatever it is.
_NEVER_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
# What a call raises when the connection fails, once the retry window is over.
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)
_JSON = {"Content-Type": "application/json"}


class Api:
    """One device's connection to one server.

    Calls ride out a restart: for up to `retry_window` seconds, with capped backoff, a call
    is sent again after a 503 (the server saved nothing) or a connection that could not be made;
    GETs and calls marked idempotent (an append carries its entry id) also after any transport
    error, e.g. a response lost after the server committed. Never after a 4xx.

    The HTTP client is aiohttp: it costs the device about half of what httpx did per request
    (docs/performance.md). Its session is made on first use, inside the event loop it serves.
    """

    def __init__(
        self, base_url: str, token: str | None = None, retry_window: float = RETRY_WINDOW_SECONDS
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry_window = retry_window
        self.retried = 0  # attempts sent again so far: what a test or a log wants to know
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=100, keepalive_timeout=IDLE_CONNECTION_SECONDS, ssl=_tls()
            )
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=_CALLS, read_bufsize=2**18, auto_decompress=False
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

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
        data = None
        if body is not None:
            data, sent = json.dumps(body).encode(), sent | _JSON
        url = self.base_url + path
        deadline, attempt = time.monotonic() + self.retry_window, 0
        while True:
            try:
                async with self._http().request(method, url, data=data, headers=sent) as answer:
                    status, content = answer.status, await answer.read()
                    reason, retry_after = answer.reason or "", answer.headers.get("retry-after", "")
            except TRANSPORT_ERRORS as exc:
                retry = safe or isinstance(exc, _NEVER_SENT)
                if not (retry and await self._pause(attempt, deadline, 0.0)):
                    raise
            else:
                if status != 503:
                    break
                if not await self._pause(attempt, deadline, _seconds(retry_after)):
                    break
            attempt += 1
        if status >= 400:
            _raise(status, reason, content)
        return status, (json.loads(content) if content else {})

    async def _pause(self, attempt: int, deadline: float, asked: float) -> bool:
        """Wait before trying again (at least what a 503 asked); False if that would end after
        the retry window."""
        wait = max(min(BACKOFF_CAP, BACKOFF_FIRST * 2**attempt), asked)
        if time.monotonic() + wait > deadline:
            return False
        self.retried += 1
        await asyncio.sleep(wait)
        return True

    async def stream(self, path: str, last_seq: int) -> AsyncIterator[Json]:
        """Records from the live stream, resuming after last_seq."""
        headers = {**self._headers(), "Last-Event-ID": str(last_seq)}
        headers["Accept"] = "text/event-stream"
        url = self.base_url + path
        async with self._http().get(url, headers=headers, timeout=_STREAMING) as answer:
            if answer.status >= 400:
                _raise(answer.status, answer.reason or "", await answer.read())
            async for data in _event_data(answer.content):
                yield json.loads(data)


async def _event_data(content: aiohttp.StreamReader) -> AsyncIterator[str]:
    """The data of each event of a text/event-stream, as the HTML standard reads one (9.2.6):
    lines end with LF, CRLF or CR; an empty line ends an event; its `data` fields are joined
    with LF; comments (the heartbeat) and other fields are skipped; an event without data is
    not given out."""
    data: list[str] = []
    pending = b""
    async for chunk in content.iter_any():
        buffer = pending + chunk
        held = buffer[-1:] if buffer.endswith(b"\r") else b""  # a CR whose LF may come next
        lines = buffer[: len(buffer) - len(held)].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *complete, pending = lines.split(b"\n")
        pending += held
        for raw in complete:
            if not raw:
                if data:
                    yield "\n".join(data)
                    data = []
                continue
            field, _, value = raw.decode().partition(":")
            if field == "data":
                data.append(value[1:] if value.startswith(" ") else value)


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


def _seconds(value: str) -> float:
    return float(value) if value.isdigit() else 0.0


def _raise(status: int, reason: str, content: bytes) -> None:
    try:
        problem = json.loads(content)
        detail = str(problem.get("detail") or problem.get("title") or reason)
    except (ValueError, AttributeError):
        problem, detail = {}, reason
    raise UnspokenError(status, detail, problem if isinstance(problem, dict) else {})


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
