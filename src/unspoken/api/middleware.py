"""Pure ASGI middleware: security headers, a safe access log, a silent 500 and a body cap."""

import logging
import time
import traceback

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspoken.api.problems import problem_response
from unspoken.settings import Origin, parse_origin

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
# Sent only over TLS (a proxy's X-Forwarded-Proto counts, when uvicorn trusts that proxy).
STRICT_TRANSPORT = "max-age=63072000; includeSubDomains"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})
access_log = logging.getLogger("unspoken.access")
error_log = logging.getLogger("unspoken.error")


class Guard:
    """Outermost layer. Logs method, path, status and time only: never headers or bodies.

    An unexpected exception becomes a bare 500 and a log line with its type and stack, but not
    its message, which could quote ciphertext or a token.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status, begun = False, 500, time.perf_counter()

        async def send_secured(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
                headers = MutableHeaders(scope=message)
                headers.update(SECURITY_HEADERS)
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = STRICT_TRANSPORT
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            error_log.error("unhandled %s\n%s", type(exc).__name__, frames)
            if not started:
                detail = "Something went wrong on our side; nothing was changed by it."
                await problem_response(500, "Internal error", detail)(scope, receive, send_secured)
        finally:
            took = (time.perf_counter() - begun) * 1000
            access_log.info("%s %s %s %.0fms", scope["method"], _loggable(scope), status, took)


def _loggable(scope: Scope) -> str:
    """The path as it came on the wire, still percent-encoded, so that `%0a` in a request cannot
    begin a forged line in a text log; anything unprintable left is escaped."""
    raw = scope.get("raw_path")
    path = raw.decode("ascii", "backslashreplace") if isinstance(raw, bytes) else scope["path"]
    return path if path.isprintable() else path.encode("unicode_escape").decode("ascii")


class OriginCheck:
    """Refuse state changes and live streams asked for by another site's page.

    Browsers name the page's origin in `Origin`; its scheme, host and port must be this
    server's: exactly `public_origin` when one is configured, else the request's own (the Host
    header, and the scheme uvicorn saw, X-Forwarded-Proto from a trusted proxy included).
    Clients that send no Origin (the Python SDK, curl) are not browsers and pass.
    """

    def __init__(self, app: ASGIApp, public_origin: str | None = None) -> None:
        self.app = app
        self.public = parse_origin(public_origin) if public_origin else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _guarded(scope):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not self._ours(origin, scope, headers):
                detail = "Requests from another site's page are not accepted here."
                await problem_response(403, "Wrong origin", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _ours(self, origin: str, scope: Scope, headers: Headers) -> bool:
        page = _origin(origin)
        if page is None:
            return False
        if self.public is not None:
            return page == self.public
        return page == _origin(f"{scope.get('scheme', 'http')}://{headers.get('host', '')}")


def _origin(value: str) -> Origin | None:
    try:
        return parse_origin(value)
    except ValueError:
        return None  # "null", or nothing like an origin: never this server's


def _guarded(scope: Scope) -> bool:
    return scope["method"] not in SAFE_METHODS or scope["path"].endswith("/events")


class BodyLimit:
    """Refuse bodies over the limit with 413, by Content-Length and by counting bytes read.

    Bodies are small (a box is at most 64 KiB), so the body is read here and replayed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _bodiless(scope):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes // 1024
        detail = f"The request body is larger than the {limit} KiB this server accepts."
        await problem_response(413, "Body too large", detail)(scope, receive, send)


def _bodiless(scope: Scope) -> bool:
    """A GET or HEAD that announces no body has none to read: it passes untouched (nothing
    is kept for it during a long live stream)."""
    if scope["method"] not in ("GET", "HEAD"):
        return False
    return not any(name in _BODY_HEADERS for name, _ in scope["headers"])


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives `body` first, as one message, then whatever comes after."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
