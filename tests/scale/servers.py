"""`unspoken serve` subprocesses sharing one PostgreSQL database and one Redis."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from scale.services import free_port

STARTUP_SECONDS = 30.0


@dataclass
class Server:
    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def launch(database: str, broker: str, log_path: Path) -> Server:
    """Start one; `wait_ready` later, so several can start (and migrate) at once."""
    port = free_port()
    # A load test is one address making thousands of notebooks: the per-address limits are off.
    command = [sys.executable, "-m", "unspoken", "serve", "--host", "127.0.0.1", "--no-rate-limits"]
    command += ["--port", str(port), "--database", database, "--broker", broker]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    return Server(f"http://127.0.0.1:{port}", log_path, process)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"unspoken serve did not start; its log:\n{server.log()[-4000:]}")
