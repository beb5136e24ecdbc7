"""The ASGI application: routes, middleware, and the store and broker's lifetime."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from unspoken import __version__
from unspoken.api import openapi, problems, router
from unspoken.api.fast_paths import FastPaths
from unspoken.api.metrics import Metrics, MetricsMiddleware
from unspoken.api.middleware import BodyLimit, Guard, OriginCheck
from unspoken.api.pages import mount
from unspoken.api.ratelimit import DEFAULT_LIMITS, DeviceLimits, RateLimit
from unspoken.broker import broker_for
from unspoken.push.dispatch import pusher_for
from unspoken.server import sweeper
from unspoken.server.services import Services
from unspoken.settings import Settings
from unspoken.store import store_for


def create_app(settings: Settings) -> FastAPI:
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = store_for(settings.database, settings.sqlite)
        await store.open()
        broker = broker_for(settings.broker)
        pusher = pusher_for(settings, store)
        services = Services(settings, store, broker, push=pusher, lag=metrics.broker_lag.observe)
        app.state.services = services
        sweeping = asyncio.create_task(sweeper.run(services, settings.sweep_seconds))
        try:
            yield
        finally:
            sweeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeping
            await pusher.close()
            await broker.close()
            await store.close()

    app = FastAPI(
        title="Unspoken",
        version=__version__,
        summary="An end-to-end encrypted notebook for two: the server keeps ciphertext and rules.",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
    )
    problems.install(app)
    app.router.routes.extend(router.routes)  # flat, as in api/__init__.py: cheaper matching
    openapi.install(app)
    mount(app, settings.web_dir)
    app.add_middleware(FastPaths)  # innermost: inside every guard, limit and meter
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.state.device_limits = DeviceLimits(DEFAULT_LIMITS) if settings.rate_limits else None
    if settings.rate_limits:
        app.add_middleware(RateLimit, limits=DEFAULT_LIMITS)
    app.add_middleware(MetricsMiddleware, metrics=metrics, token=settings.metrics_token)
    app.add_middleware(OriginCheck, public_origin=settings.public_origin)
    app.add_middleware(Guard)
    return app
