"""Appending an entry without the framework's per-request machinery.

An append is most of what the server does. Through FastAPI, solving its dependencies (the
services, the bearer token, the device, its notebook) and validating its body took about as
much of the event loop's time as everything else in the request together (docs/performance.md,
"Ten times the peer"). This layer, the innermost middleware, answers a well-formed append itself
with the same functions the route uses, in the same order: the token (`deps.authenticate`), the
notebook (`deps.member_in`), the body (`NewEntry`, the same model), the device's rate limits,
then `entries.append`. Anything it would not answer exactly as the route does (a missing or
unknown token, a body that is not JSON or not valid, a device still waiting) goes on to the
route untouched, which answers as it always has; nothing has been counted or changed by then.
"""

import json
import re
from functools import cache

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from unspoken.api import problems
from unspoken.api.deps import authenticate, limit_device, member_in
from unspoken.api.entries import append
from unspoken.api.metrics import APPEND_ROUTE
from unspoken.api.middleware import replay
from unspoken.api.schemas import NewEntry

_PATH = re.compile(r"/v1/notebooks/([A-Za-z0-9_-]{22})/entries")
_BEARER = re.compile(r"Bearer ([^\s]+)")


class FastAppend:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if found is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        message = await receive()  # BodyLimit, outside, has read the whole body already
        body = message.get("body", b"")
        receive = replay(body, receive)
        answered = None
        if message["type"] == "http.request" and not message.get("more_body", False):
            answered = await _append(scope, found[1], body)
        if answered is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = _route(scope["app"])  # for the metrics, as the router would
        await answered(scope, receive, send)


async def _append(scope: Scope, nb: str, raw: bytes) -> JSONResponse | None:
    """The answer to a well-formed append, or None to let the route answer."""
    app: FastAPI = scope["app"]
    services = app.state.services
    headers = Headers(scope=scope)
    bearer = _BEARER.fullmatch(headers.get("authorization", ""))
    if bearer is None or headers.get("content-type", "").split(";")[0] != "application/json":
        return None
    try:
        me = member_in(nb, await authenticate(services, bearer[1]))
        body = NewEntry.model_validate(json.loads(raw))
    except Exception:  # noqa: BLE001 — the route says what was wrong, in its own words
        return None
    try:
        limit_device(scope, app.state.device_limits, me)
        answer, replayed = await append(services, nb, me, body)
    except Exception as exc:
        refused = problems.answer(exc)
        if refused is None:
            raise
        return refused
    return JSONResponse(answer.model_dump(), 200 if replayed else 201)


@cache
def _route(app: FastAPI) -> APIRoute:
    routes = (route for route in app.router.routes if isinstance(route, APIRoute))
    return next(r for r in routes if r.path == APPEND_ROUTE and "POST" in (r.methods or ()))
