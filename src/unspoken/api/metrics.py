"""Prometheus metrics for the operator: requests, latencies, live streams, appends, broker lag.

Labels are route templates (`/v1/notebooks/{nb}/entries`), never ids, tokens or content.
`/metrics` answers only with the operator's token; without one configured it does not exist.
"""

import hmac
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspoken.api.problems import problem_response

PATH = "/metrics"
APPEND_ROUTE = "/v1/notebooks/{nb}/entries"
EVENTS_ROUTE = "/v1/notebooks/{nb}/events"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """One registry per app, so several apps in one process (tests) never share counts."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "unspoken_requests",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "unspoken_request_seconds",
            "Time until the answer began.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.streams = Gauge(
            "unspoken_live_streams", "Live streams open now.", registry=self.registry
        )
        self.appends = Counter(
            "unspoken_appends", "Entries stored (retries not counted).", registry=self.registry
        )
        self.broker_lag = Histogram(
            "unspoken_broker_lag_seconds",
            "From a record's commit to its arrival at this process's live streams.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, token: str | None) -> None:
        self.app, self.metrics, self.token = app, metrics, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["path"] == PATH:
            await self._expose(scope, receive, send)
        else:
            await self._observe(scope, receive, send)

    async def _expose(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = Headers(scope=scope).get("authorization", "")
        if not self.token or not hmac.compare_digest(given, f"Bearer {self.token}"):
            detail = "There is nothing at this address."
            await problem_response(404, "Not found", detail)(scope, receive, send)
            return
        body = generate_latest(self.metrics.registry)
        await Response(body, media_type=CONTENT_TYPE_LATEST)(scope, receive, send)

    async def _observe(self, scope: Scope, receive: Receive, send: Send) -> None:
        began, streaming = time.perf_counter(), False

        async def observed(message: Message) -> None:
            nonlocal streaming
            if message["type"] == "http.response.start":
                method, route, status = scope["method"], _route(scope), message["status"]
                self.metrics.latency.labels(method, route).observe(time.perf_counter() - began)
                self.metrics.requests.labels(method, route, str(status)).inc()
                if method == "POST" and route == APPEND_ROUTE and status == 201:
                    self.metrics.appends.inc()
                if route.endswith("/events") and status == 200:
                    streaming = True
                    self.metrics.streams.inc()
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            if streaming:
                self.metrics.streams.dec()


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"
