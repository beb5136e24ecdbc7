"""Rate limits: token buckets per client address or per device, answered with 429 + Retry-After.

Limits by address apply before anything else reads the request (`RateLimit`, a middleware);
limits by device apply once the device token has been checked (`DeviceLimits`, from the
authenticating dependency), so a made-up token is only ever counted against its address and a
member cannot step out of their own limit by spelling the header differently. Each limit keeps at
most `MAX_BUCKETS` keys, forgetting the least recently used one when a new key arrives: memory is
bounded and no request ever rebuilds a table.

Limits live in each process's memory; several processes behind Redis each keep their own, so an
operator's proxy should also limit by address (docs/threat-model.md).
"""

import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from starlette.types import ASGIApp, Receive, Scope, Send

from unspoken.api.problems import Problem, problem_response

MAX_BUCKETS = 50_000  # keys per limit


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
        "invite-looks",
        frozenset({"GET"}),
        re.compile(r"^/v1/invites/[^/]+$"),
        30 / 60,
        10,
        "address",
        "Too many invites were looked at from here.",
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
    # Before the token is checked: what one address may send at all, signed in or not. Ten
    # times a device's limit, for a household behind one address; it is what stops a flood of
    # made-up tokens from costing the server more than a refusal each.
    Limit(
        "writes from one address",
        frozenset({"POST", "PUT", "DELETE"}),
        re.compile(r"^/v1/notebooks/[^/]+/"),
        200,
        1000,
        "address",
        "Too many writes came from here.",
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
    """One table of buckets per limit, each bounded: a new key past `capacity` pushes out the
    key used least recently (an `OrderedDict` kept in order of use, O(1) either way)."""

    limits: tuple[Limit, ...]
    clock: Callable[[], float] = time.monotonic
    capacity: int = MAX_BUCKETS
    _tables: dict[str, OrderedDict[str, _Bucket]] = field(default_factory=dict)

    def wait(self, limit: Limit, key: str) -> float:
        now = self.clock()
        table = self._tables.get(limit.name)
        if table is None:
            table = self._tables[limit.name] = OrderedDict()
        bucket = table.get(key)
        if bucket is None:
            bucket = table[key] = _Bucket(limit.burst, now)
            if len(table) > self.capacity:
                table.popitem(last=False)
        else:
            table.move_to_end(key)
        return bucket.take(limit, now)

    def size(self, limit: Limit) -> int:
        return len(self._tables.get(limit.name, ()))

    def refusal(self, scope: Scope, key: str) -> tuple[str, str] | None:
        """Take a token for `key` from each limit that applies to the request; for the first one
        used up, (Retry-After seconds, the words of the refusal), else None."""
        for limit in self.limits:
            if scope["method"] not in limit.methods or not limit.path.match(scope["path"]):
                continue
            wait = self.wait(limit, key)
            if wait > 0:
                retry = str(math.ceil(wait))
                return retry, f"{limit.detail} Try again in {retry} s."
        return None


class RateLimit:
    """Pure ASGI middleware applying the limits by address before anything reads the request."""

    def __init__(self, app: ASGIApp, limits: tuple[Limit, ...]) -> None:
        self.app = app
        self.buckets = Buckets(tuple(limit for limit in limits if limit.by == "address"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            refused = self.buckets.refusal(scope, client[0] if client else "unknown")
            if refused is not None:
                retry, detail = refused
                response = problem_response(
                    429, "Too many requests", detail, headers={"Retry-After": retry}
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class DeviceLimits:
    """The limits by device, asked by the dependency that has just authenticated the device."""

    def __init__(self, limits: tuple[Limit, ...]) -> None:
        self.buckets = Buckets(tuple(limit for limit in limits if limit.by == "device"))

    def check(self, scope: Scope, device_id: str) -> None:
        """Raise a 429 Problem if this device has used up a limit that applies to the request."""
        refused = self.buckets.refusal(scope, device_id)
        if refused is not None:
            retry, detail = refused
            raise Problem(429, "Too many requests", detail, headers={"Retry-After": retry})
