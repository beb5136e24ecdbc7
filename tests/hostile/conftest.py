"""A couple whose every request goes through a hostile operator's proxy."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from conftest import LiveServer, start_server
from hostile.operator import Operator
from unspoken.client import Notebook


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server for a module's attacks: each test makes its own notebook on it."""
    folder: Path = tmp_path_factory.mktemp("hostile")
    server = start_server(folder / "unspoken.db", folder / "server.log", args=("--no-rate-limits",))
    yield server
    server.stop()


@pytest.fixture
def operator(real_server: LiveServer) -> Iterator[Operator]:
    proxy = Operator(real_server.url).start()
    yield proxy
    proxy.stop()


@pytest.fixture
async def couple(operator: Operator) -> AsyncIterator[tuple[Notebook, Notebook]]:
    """(Ella, James) through the operator: Ella made the notebook and holds the pen."""
    ella = await Notebook.create(operator.url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    yield ella, james
    await ella.close()
    await james.close()
