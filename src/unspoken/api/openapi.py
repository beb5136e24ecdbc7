"""The OpenAPI document tells the whole truth about refusals.

FastAPI documents what a handler returns, and a 422 in a shape this API never sends. The doors
(api/middleware.py, api/ratelimit.py, api/deps.py) and the rules refuse in other ways, always
as application/problem+json (api/problems.py, api/refusals.py). This adds to every operation
the refusals it can meet, derived from what guards it; a route names only the few that are its own
(e.g. `responses={410: {...}}` on a claim). tests/security/test_schemathesis.py holds the
server to the document.
"""

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from unspoken.api.problems import PROBLEM_JSON
from unspoken.api.ratelimit import DEFAULT_LIMITS

SCHEMA = "Problem"
UNSAFE = frozenset({"post", "put", "patch", "delete"})
_REF = {"$ref": f"#/components/schemas/{SCHEMA}"}
_INTEGER = {"type": "integer", "minimum": 0}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "Always `Bearer`.", "schema": {"type": "string"}}},
    429: {
        "Retry-After": {
            "description": "Seconds until asking again will work.",
            "required": True,
            "schema": _INTEGER,
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds until trying again is worth it.",
            "required": True,
            "schema": _INTEGER,
        }
    },
}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as problems.problem_response writes them."""

    model_config = ConfigDict(extra="allow", title=SCHEMA)

    type: str
    title: str
    status: int
    detail: str


def install(app: FastAPI) -> None:
    """Serve the document with every operation's refusals in it."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def document() -> dict[str, Any]:
        return with_refusals(build())

    app.openapi = document  # type: ignore[method-assign]


def with_refusals(document: dict[str, Any]) -> dict[str, Any]:
    """Add the refusals in place (idempotent) and return the document."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[SCHEMA] = ProblemDetails.model_json_schema()
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422, never sent here
        schemas.pop(name, None)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            if responses.get("422", {}).get("description") == "Validation Error":
                del responses["422"]  # FastAPI's own, replaced by ours
            reasons: dict[int, list[str]] = {}
            for status, why in _refusals(path, method, operation):
                reasons.setdefault(status, []).append(why)
            for status, whys in sorted(reasons.items()):
                responses.setdefault(str(status), {"description": " ".join(whys)})
            for status, response in responses.items():
                if status[0] in "45":
                    _as_problem(int(status), response)
    return document


def _as_problem(status: int, response: dict[str, Any]) -> None:
    response["content"] = {PROBLEM_JSON: {"schema": _REF}}
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]


def _refusals(path: str, method: str, operation: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """(status, why) for each refusal the doors and the rules may give this operation."""
    secured, unsafe = bool(operation.get("security")), method in UNSAFE
    if secured:
        yield 401, "No device token, or one this server does not know."
        yield 404, "This device has no such notebook (or no such thing in it)."
        yield 403, "Not yet let in, or only the notebook's creator may do this."
    if unsafe or path.endswith("/events"):
        yield 403, "Asked for by another site's page (its Origin is not this server)."
    if secured and unsafe:
        yield 409, "The notebook's rules refuse it now: the pen, a pause, a closed chapter…"
    if operation.get("parameters") or operation.get("requestBody"):
        yield 422, "A field, parameter or header is not valid (the detail names which)."
    if any(p.get("name") == "unspoken-act" for p in operation.get("parameters", [])):
        yield 428, "The act is not signed by this device (no or a malformed Unspoken-Act)."
    if operation.get("requestBody"):
        yield 400, "The body could not be read as JSON text in UTF-8."
        yield 413, "The body, or a sealed box in it, is larger than this server accepts."
    if _rate_limited(path, method):
        yield 429, "Too many requests from here, or a knock too soon; see Retry-After."
    if path.startswith("/v1/"):
        yield 503, "The database cannot answer for a moment (full, locked or away)."
    yield 500, "Something went wrong on the server; nothing was changed by it."


def _rate_limited(path: str, method: str) -> bool:
    return any(
        method.upper() in limit.methods and limit.path.match(path) for limit in DEFAULT_LIMITS
    )
