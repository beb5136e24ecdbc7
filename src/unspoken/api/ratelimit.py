"""Rate limits: token buckets per client address or per device, answered with 429 + Retry-After.

Limits live in each process's memory; several processes behind Redis each keep their own, so an
operator's proxy should also limit by address (docs/threat-model.md).
"""

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from unspoken.api.problems import problem_response

MAX_BUCKETS = 100_000


@dataclass(frozen=True)
class Limit:
    """At most `burst` requests at once, refilled at `per_second`, for each key."""

    name: str
    methods: frozenset[str]
    path: re.Pattern[str]
    per_second: float
    burst: int
    by: Literal["address", "device"]
    detail: str


DEFAULT_LIMITS = (
    Limit(
        "claims",
        frozenset({"POST"}),
        re.compile(r"^/v1/(invites|links)/[^/]+/claim$"),
        5 / 60,
        5,
        "address",
        "Too many invite or device links were tried from here.",
    ),
    Limit(
        "creates",
        frozenset({"POST"}),
        re.compile(r"^/v1/notebooks$"),
        20 / 3600,
        20,
        "address",
        "Too many notebooks were begun from here.",
    ),
    Limit(
        "writes",
        frozenset({"POST", "PUT", "DELETE"}),
        re.compile(r"^/v1/notebooks/[^/]+/"),
        20,
        100,
        "device",
        "This device is writing faster than anyone can.",
    ),
)


@dataclass
class _Bucket:
    tokens: float
    at: float

    def take(self, limit: Limit, now: float) -> float:
        """Take one token; return 0, or how many seconds until one is free."""
        self.tokens = min(limit.burst, self.tokens + (now - self.at) * limit.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / limit.per_second


@dataclass
class Buckets:
    limits: tuple[Limit, ...]
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)

    def wait(self, limit: Limit, key: str) -> float:
        now = self.clock()
        if len(self._buckets) > MAX_BUCKETS:  # forget the quiet ones rather than grow forever
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < 3600}
        bucket = self._buckets.setdefault((limit.name, key), _Bucket(limit.burst, now))
        return bucket.take(limit, now)


class RateLimit:
    """Pure ASGI middleware applying `limits` before anything else reads the request."""

    def __init__(self, app: ASGIApp, limits: tuple[Limit, ...]) -> None:
        self.app = app
        self.buckets = Buckets(limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for limit in self.buckets.limits:
                key = _key(limit, scope)
                if key is None:
                    continue
                wait = self.buckets.wait(limit, key)
                if wait > 0:
                    retry = str(math.ceil(wait))
                    response = problem_response(
                        429,
                        "Too many requests",
                        f"{limit.detail} Try again in {retry} s.",
                        headers={"Retry-After": retry},
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _key(limit: Limit, scope: Scope) -> str | None:
    if scope["method"] not in limit.methods or not limit.path.match(scope["path"]):
        return None
    if limit.by == "address":
        client = scope.get("client")
        return client[0] if client else "unknown"
    token = Headers(scope=scope).get("authorization", "")
    # Keyed by a hash: the limiter never holds a usable token.
    return hashlib.sha256(token.encode()).hexdigest() if token else None
