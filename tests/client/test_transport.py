"""The SDK's HTTP stack does no needless work per request."""

import asyncio
import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from unspoken.cli import KEEP_ALIVE_SECONDS
from unspoken.client import Notebook
from unspoken.client.api import IDLE_CONNECTION_SECONDS, Api


class _Lookups(importlib.abc.MetaPathFinder):
    """Every module name the import system is asked to find (a cached import is not)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        self.names.append(fullname)
        return None


async def test_requests_search_for_no_module(pair: tuple[Notebook, Notebook]) -> None:
    """A module imported inside every request that is not installed would be looked for on
    sys.path again at each one (Python does not remember a failed import): httpcore's sniffio
    once cost the SDK ~0.3 ms a request (docs/performance.md)."""
    james, _ = pair
    await james.read()  # the first request may import what it needs, once
    lookups = _Lookups()
    sys.meta_path.insert(0, lookups)
    try:
        for n in range(3):
            await james.write(f"a word {n}")
            await james.read()
    finally:
        sys.meta_path.remove(lookups)
    assert lookups.names == []


async def test_an_idle_connection_is_let_go_before_the_server_closes_it(live_server: Any) -> None:
    """A request sent on a kept-alive connection just as the server closes it fails, and waits
    out a retry (100 ms): the SDK drops an idle connection before the server would."""
    assert IDLE_CONNECTION_SECONDS < KEEP_ALIVE_SECONDS
    api = Api(live_server.url)
    try:
        await api.call("GET", "/healthz")
        # idle: past the SDK's limit, not the server's
        await asyncio.sleep(IDLE_CONNECTION_SECONDS + 0.2)
        pool = api._http().connector
        assert pool is not None and not any(pool._conns.values())  # aiohttp's idle connections
        await api.call("GET", "/healthz")  # on a new connection, sent once
        assert api.retried == 0
    finally:
        await api.close()
