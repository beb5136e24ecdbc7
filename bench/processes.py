"""Server processes for the benchmark, and what they cost: CPU seconds and resident memory."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    return stat_seconds(Path(f"/proc/{pid}/stat"))


def stat_seconds(stat: Path) -> float:
    """User + system CPU seconds from a /proc stat file (a process's or one of its threads')."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)


def start_command(database: str, broker: str, limits: bool = False) -> list[str]:
    """`unspoken serve` on a free port; a load test is one address making thousands of
    notebooks, so the rate limits are off unless `limits`."""
    command = [sys.executable, "-m", "unspoken", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(free_port()), "--database", database, "--broker", broker]
    return command + ([] if limits else ["--no-rate-limits"])


def start_with(command: list[str], log_path: Path) -> Server:
    port = command[command.index("--port") + 1]
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    return Server(f"http://127.0.0.1:{port}", process, log_path)


def start(database: str, broker: str, log_path: Path) -> Server:
    return start_with(start_command(database, broker), log_path)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"server did not start; see {server.log_path}")


class Meter:
    """CPU used by a set of processes between two readings, as a share of one core."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self._start = time.monotonic()
        self._cpu = sum(cpu_seconds(pid) for pid in pids)

    def read(self) -> dict[str, float]:
        elapsed = time.monotonic() - self._start
        used = sum(cpu_seconds(pid) for pid in self.pids) - self._cpu
        return {
            "cpu_seconds": used,
            "cpu_percent": 100 * used / elapsed if elapsed else 0.0,
            "rss_mb": sum(rss_mb(pid) for pid in self.pids),
        }
