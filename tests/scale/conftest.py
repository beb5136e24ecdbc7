"""Fixtures for the scale-out tests: a private Redis, a fresh PostgreSQL schema, servers."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scale.servers import Server, launch, wait_ready
from scale.services import PrivateRedis, free_port, postgres_schema


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """Our own redis-server, so the test may restart it without disturbing anyone else."""
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture
def servers(
    tmp_path: Path, postgres_url: str, private_redis: PrivateRedis
) -> Iterator[Callable[[int], list[Server]]]:
    """Start n app processes at once on the shared database and broker; all stop at the end."""
    started: list[Server] = []

    def start(n: int) -> list[Server]:
        batch = [
            launch(postgres_url, private_redis.url, tmp_path / f"server-{len(started) + i}.log")
            for i in range(n)
        ]
        started.extend(batch)
        for server in batch:
            wait_ready(server)
        return batch

    yield start
    for server in started:
        server.stop()
