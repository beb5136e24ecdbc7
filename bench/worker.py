"""A client process: runs a Fleet and obeys the conductor's commands over a pipe."""

import asyncio
import resource
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
    asyncio.run(_obey(conn, Fleet(worker, write_url, watch_url)))


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
