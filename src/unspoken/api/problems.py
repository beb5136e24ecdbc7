"""Every error is application/problem+json (RFC 9457) with a plain-language detail.

Details never echo what was sent: input may be ciphertext or a token.
"""

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from unspoken.api.refusals import said
from unspoken.rules import RuleViolation
from unspoken.server.faults import StoreClosed, fault_of

PROBLEM_JSON = "application/problem+json"
BOX_TOO_LARGE = "box_too_large"
CUSTOM_TYPES = frozenset({"b64", "b64_size", "id", BOX_TOO_LARGE})


class Problem(Exception):
    """An HTTP-level refusal raised by a handler or dependency."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def slug(title: str) -> str:
    """A title as a problem type: "Not your turn" is not-your-turn."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def problem_response(
    status: int,
    title: str,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    kind: str | None = None,
) -> JSONResponse:
    """The answer; its `type` is `kind`, or the title's slug when there is no code behind it."""
    body = {"type": f"urn:unspoken:problem:{kind or slug(title)}", "title": title, "status": status}
    body |= {"detail": detail, **(extra or {})}
    return JSONResponse(body, status, headers=dict(headers or {}), media_type=PROBLEM_JSON)


_PHRASES = {
    "missing": "is required",
    "extra_forbidden": "is not expected",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "dict_type": "must be a JSON object",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object sent as application/json",
}


def _phrase(error: Mapping[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in CUSTOM_TYPES:
        return str(error["msg"])
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', 'the allowed values')}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    return _PHRASES.get(kind, "has the wrong type or value")


_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _shown(part: object) -> str:
    """A field's name as the sender wrote it only if it looks like a name: an unexpected key
    is the sender's text, and could be anything (even a word they meant to seal)."""
    text = str(part)
    return text if _NAME.fullmatch(text) else "…"


def describe(error: Mapping[str, Any]) -> str:
    """One validation error in plain words, naming the field but never its value."""
    loc: Sequence[Any] = error.get("loc", ())
    if error["type"] == "json_invalid":
        return "The request body is not valid JSON."
    where, names = (loc[0] if loc else "body"), [_shown(part) for part in loc[1:]]
    if where == "body" and not names:
        return f"The request body {_phrase(error)}."
    noun = {"body": "field", "query": "parameter", "header": "header"}.get(where, "value")
    return f"The {noun} '{'.'.join(names)}' {_phrase(error)}."


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if any(e["type"] == BOX_TOO_LARGE for e in errors):
        too_large = next(e for e in errors if e["type"] == BOX_TOO_LARGE)
        return problem_response(413, "Box too large", describe(too_large))
    lines = list(dict.fromkeys(describe(e) for e in errors))[:3]
    detail = " ".join(lines) or "The request is not valid."
    return problem_response(422, "Invalid request", detail)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = getattr(exc, "headers", None)
    if status == 400:  # FastAPI's answer to a body it cannot parse (bad UTF-8, a huge number)
        detail = "The request body could not be read: it must be JSON text in UTF-8."
    elif status == 404:
        detail = "There is nothing at this address."
    elif status == 405:
        detail = f"This address does not accept {request.method} requests."
    else:
        detail = "The request could not be handled."
    return problem_response(status, HTTPStatus(status).phrase.capitalize(), detail, headers=headers)


def answer(exc: Exception) -> JSONResponse | None:
    """The problem answer for a refusal a handler may raise (a Problem, a rule's refusal, a
    database fault); None for anything else, which stays an error."""
    if isinstance(exc, Problem):
        return problem_response(exc.status, exc.title, exc.detail, exc.extra, exc.headers)
    if isinstance(exc, RuleViolation):
        extra, headers = dict(exc.extra), {}
        if exc.retry_after is not None:
            extra["retry_after"] = exc.retry_after
            headers["Retry-After"] = str(exc.retry_after)
        words = said(exc)
        return problem_response(words.status, words.title, words.detail, extra, headers, words.type)
    fault = fault_of(exc) if isinstance(exc, DBAPIError | StoreClosed) else None
    if fault is None:
        return None
    # A full disk, a lock, a lost database: 503 with Retry-After.
    logging.getLogger("unspoken.error").warning("database fault: %s", fault.title)
    wait = fault.retry_after
    extra, headers = {"retry_after": wait}, {"Retry-After": str(wait)}
    return problem_response(503, fault.title, fault.detail, extra, headers)


async def _answer(_request: Request, exc: Exception) -> JSONResponse:
    response = answer(exc)
    if response is None:
        raise exc
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    for refusal in (RuleViolation, Problem, DBAPIError, StoreClosed):
        app.add_exception_handler(refusal, _answer)
