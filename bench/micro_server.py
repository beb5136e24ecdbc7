"""A real `uvicorn` server subprocess for the micro-benchmarks, and what it costs."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bench.processes import cpu_seconds, free_port, rss_mb

_SERVE = """
import cProfile, os, signal, sys, time, uvicorn
from pathlib import Path
from unspoken.app import create_app
from unspoken.settings import Settings
from unspoken import heap
app = create_app(Settings(database=Path(sys.argv[1]), rate_limits=False))
if os.environ.get("UNSPOKEN_MICRO_GC") != "default":  # as `unspoken serve` does
    heap.settle_for_serving()
if os.environ.get("UNSPOKEN_MICRO_CPROFILE"):
    profile = cProfile.Profile(time.thread_time)  # the event loop's thread alone
    def dump(*_):  # uvicorn raises SIGTERM again once it has stopped: this handler then runs
        profile.disable()
        profile.dump_stats(os.environ["UNSPOKEN_MICRO_CPROFILE"])
        os._exit(0)
    signal.signal(signal.SIGTERM, dump)
    profile.enable()
uvicorn.run(app, port=int(sys.argv[2]), log_config=None, access_log=False,
            loop=sys.argv[3], http=sys.argv[4], timeout_graceful_shutdown=5)
"""

__all__ = ["cpu_seconds", "rss_mb", "serving"]


@asynccontextmanager
async def serving(database: Path, loop: str, http: str) -> AsyncIterator[tuple[str, int]]:
    """(url, pid) of a server on a free port, stopped on the way out."""
    port = free_port()
    command = [sys.executable, "-c", _SERVE, str(database), str(port), loop, http]
    server = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    profiler = None
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        profiler = _profiler(server.pid)
        yield url, server.pid
    finally:
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(30)
        server.terminate()
        server.wait()


def _profiler(pid: int) -> "subprocess.Popen[bytes] | None":
    """With UNSPOKEN_MICRO_PROFILE=out.txt, py-spy samples the server (collapsed stacks);
    UNSPOKEN_MICRO_CPROFILE=out.prof instead has the server's event loop thread profile
    itself with cProfile on that thread's CPU clock (exact call counts, slower; the store's
    writer thread is not in it)."""
    out = os.environ.get("UNSPOKEN_MICRO_PROFILE")
    if not out:
        return None
    py_spy = Path(sys.executable).with_name("py-spy")
    command = [str(py_spy), "record", "--pid", str(pid), "--rate", "100", "--gil"]
    return subprocess.Popen([*command, "--format", "raw", "--output", out, "--nonblocking"])
