"""A local push service for each test, and the app configured to send to it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from unspoken.settings import Settings

from .receiver import PushService, serve


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()
    server = serve(service)
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(tmp_path: Path, clock: object, push_service: PushService) -> Settings:
    return Settings(
        database=tmp_path / "unspoken.db",
        clock=clock,
        rate_limits=False,  # type: ignore[arg-type]
        push_services=(push_service.origin,),
    )
