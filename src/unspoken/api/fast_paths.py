"""The two requests the server answers most, without the framework's per-request machinery.

An append is most of what the server does, and a live stream is most of what it holds. Through
FastAPI, solving an append's dependencies (the services, the bearer token, the device, its
notebook) and validating its body took about as much of the event loop's time as everything
else in the request together, and a stream kept the route's layers alive for as long as it was
open (docs/performance.md, "Ten times the peer"). This layer, the innermost middleware, answers
a well-formed append or stream itself with the functions the routes use, in the same order: the
token (`deps.authenticate`), the notebook (`deps.member_in`), the body or the starting point,
the device's rate limits, then `entries.append` or `events.EventStream`. Anything it would not
answer exactly as the route does (a missing or unknown token, a body that is not JSON or not
valid, a query it does not expect, a device still waiting) goes on to the route untouched,
which answers as it always has; nothing has been counted or changed by then.
"""

import json
import re
from functools import cache

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from unspoken.api import problems
from unspoken.api.deps import authenticate, limit_device, member_in
from unspoken.api.entries import append
from unspoken.api.events import EventStream, start_of
from unspoken.api.metrics import APPEND_ROUTE, EVENTS_ROUTE
from unspoken.api.middleware import replay
from unspoken.api.schemas import MAX_SEQ, NewEntry
from unspoken.server.reads import DeviceAuth

_APPEND = re.compile(r"/v1/notebooks/([A-Za-z0-9_-]{22})/entries")
_EVENTS = re.compile(r"/v1/notebooks/([A-Za-z0-9_-]{22})/events")
_AFTER = re.compile(rb"(?:after=([0-9]{1,19}))?")
_BEARER = re.compile(r"Bearer ([^\s]+)")


class FastPaths:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            method, path = scope["method"], scope["path"]
            answered: Response | None = None
            if method == "POST" and (found := _APPEND.fullmatch(path)):
                raw, receive = await _whole_body(receive)
                answered = None if raw is None else await _append(scope, found[1], raw)
                route = APPEND_ROUTE
            elif method == "GET" and (found := _EVENTS.fullmatch(path)):
                answered, route = await _stream(scope, found[1]), EVENTS_ROUTE
            if answered is not None:
                scope["route"] = _route(scope["app"], route, method)  # for the metrics
                await answered(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _whole_body(receive: Receive) -> tuple[bytes | None, Receive]:
    """The body, read in one message (BodyLimit, outside, has read all of it already), and a
    receive that gives it again; None for a body in parts, which the route reads itself."""
    message = await receive()
    body = message.get("body", b"")
    whole = message["type"] == "http.request" and not message.get("more_body", False)
    return (body if whole else None), replay(body, receive)


async def _member(scope: Scope, headers: Headers, nb: str) -> DeviceAuth | None:
    """The caller, when a bearer token spelt as the SDK and the browser spell it proves a
    member of `nb`; None for anything the route should answer."""
    bearer = _BEARER.fullmatch(headers.get("authorization", ""))
    if bearer is None:
        return None
    try:
        return member_in(nb, await authenticate(scope["app"].state.services, bearer[1]))
    except Exception:  # noqa: BLE001 — the route says what was wrong, in its own words
        return None


async def _append(scope: Scope, nb: str, raw: bytes) -> JSONResponse | None:
    """The answer to a well-formed append, or None to let the route answer."""
    app: FastAPI = scope["app"]
    headers = Headers(scope=scope)
    if headers.get("content-type", "").split(";")[0] != "application/json":
        return None
    me = await _member(scope, headers, nb)
    if me is None:
        return None
    try:
        body = NewEntry.model_validate(json.loads(raw))
    except Exception:  # noqa: BLE001 — not JSON, or not an entry: the route says which
        return None
    try:
        limit_device(scope, app.state.device_limits, me)
        answer, replayed = await append(app.state.services, nb, me, body)
    except Exception as exc:
        refused = problems.answer(exc)
        if refused is None:
            raise
        return refused
    return JSONResponse(answer.model_dump(), 200 if replayed else 201)


async def _stream(scope: Scope, nb: str) -> Response | None:
    """The live stream for a well-formed request, or None to let the route answer."""
    app: FastAPI = scope["app"]
    headers = Headers(scope=scope)
    after = _AFTER.fullmatch(scope["query_string"])
    if after is None or (after[1] is not None and int(after[1]) > MAX_SEQ):
        return None
    me = await _member(scope, headers, nb)
    if me is None:
        return None
    try:
        start = start_of(headers.get("last-event-id"), int(after[1]) if after[1] else None)
    except problems.Problem:
        return None
    try:
        limit_device(scope, app.state.device_limits, me)
    except problems.Problem as refused:
        return problems.answer(refused)
    return EventStream(app.state.services, nb, (me.member.id, me.device_id), start)


@cache
def _route(app: FastAPI, path: str, method: str) -> APIRoute:
    routes = (route for route in app.router.routes if isinstance(route, APIRoute))
    return next(r for r in routes if r.path == path and method in (r.methods or ()))
