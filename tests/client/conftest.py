"""Couples of SDK devices paired on a real server, closed again after the test."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from unspoken.client import Notebook


async def _paired(url: str, creator: str, joiner: str) -> AsyncIterator[tuple[Notebook, Notebook]]:
    first = await Notebook.create(url, name=creator)
    second = await Notebook.join(first.invite_link, name=joiner)
    await first.approve_partner()
    yield first, second
    await first.close()
    await second.close()


@pytest.fixture
async def pair(live_server: Any) -> AsyncIterator[tuple[Notebook, Notebook]]:
    """(James, Ella): James made the notebook."""
    async for couple in _paired(live_server.url, "James", "Ella"):
        yield couple


@pytest.fixture
async def couple(live_server: Any) -> AsyncIterator[tuple[Notebook, Notebook]]:
    """(Ella, James): Ella made the notebook, as in the seed story."""
    async for made in _paired(live_server.url, "Ella", "James"):
        yield made
