"""The SDK's HTTP stack does no needless work per request."""

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

from unspoken.client import Notebook


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
    """httpcore imports sniffio inside every request; were it not installed, each request
    would search sys.path for it again (Python does not remember a failed import)."""
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
