"""A client process: runs a Fleet and obeys the conductor's commands over a pipe."""

import asyncio
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from bench.fleet import Fleet


def raise_fd_limit() -> int:
    """As many sockets as this process may have: 10,000 streams need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def main(conn: Connection, worker: int, write_url: str, watch_url: str) -> None:
    raise_fd_limit()
    # uvloop where there is one (as the server uses): the clients share the server's two cores,
    # so every cycle the load generator saves is one the server gets.
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(_obey(conn, Fleet(worker, write_url, watch_url)))


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # Windows
        return None
    return uvloop.new_event_loop


async def _obey(conn: Connection, fleet: Fleet) -> None:
    while True:
        command, args = await asyncio.to_thread(conn.recv)
        if command == "stop":
            await fleet.close()
            conn.send({})
            return
        try:
            result: Any = await getattr(fleet, command)(**args)
        except Exception as exc:
            result = {"failed": f"{type(exc).__name__}: {exc}"}
        conn.send(result)
