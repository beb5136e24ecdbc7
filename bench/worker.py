"""A client process: runs a Fleet and obeys the conductor's commands over a pipe."""

import asyncio
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from bench.fleet import Fleet


def raise_fd_limit() -> int:
    """As many sockets as this process may have: 10,000 streams need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def leave_from(address: str) -> None:
    """Every connection this process opens leaves from `address`, one of 127.0.0.0/8.

    Loopback connections to one server port can use only the ephemeral port range (~28,000
    ports here), and a connection the server closed holds its pair of addresses for a minute
    more (TIME_WAIT): 10,000 couples need three sockets each. Each client process has its own
    source address, and with it a port range of its own. The SDK creates its aiohttp connectors
    itself, so this is set on the class, in this load-generating process only.
    """
    create = aiohttp.TCPConnector.__init__

    def init(self: aiohttp.TCPConnector, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("local_addr", (address, 0))
        create(self, *args, **kwargs)

    aiohttp.TCPConnector.__init__ = init  # type: ignore[method-assign]


def main(conn: Connection, worker: int, write_url: str, watch_url: str) -> None:
    raise_fd_limit()
    leave_from(f"127.0.0.{2 + worker}")
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
