"""Shared fixtures: an in-process app on a fresh SQLite file, and a real server subprocess."""

import base64
import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from unspoken.app import create_app
from unspoken.settings import Settings, utc_now

STARTUP_SECONDS = 30.0
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Clock:
    """A settable clock for the app: tests move time instead of sleeping."""

    now: datetime = field(default_factory=utc_now)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, clock: Clock) -> Settings:
    return Settings(database=tmp_path / "unspoken.db", clock=clock, rate_limits=False)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of an app with its rate limits on."""
    app = create_app(replace(settings, rate_limits=True))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://unspoken") as http:
            yield http


@dataclass
class LiveServer:
    """`unspoken serve` in a subprocess, on a free port, logging to `log_path`."""

    url: str
    database: Path
    log_path: Path
    process: subprocess.Popen[bytes]

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate (then kill if it lingers); returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def swap_device_key(self, member_id: str, public_key: bytes) -> None:
        """Play a malicious server: replace a member's device key (and its derived id) in place.

        Only what the server could forge changes; key_mac and signatures stay as they were.
        """
        new_id = base64.urlsafe_b64encode(hashlib.sha256(public_key).digest()[:16])
        device_id = new_id.rstrip(b"=").decode()
        with sqlite3.connect(self.database, timeout=10) as db:
            db.execute(
                "UPDATE devices SET public_key = ?, id = ? WHERE member_id = ?",
                (public_key, device_id, member_id),
            )
            db.execute("UPDATE members SET profile_device = ? WHERE id = ?", (device_id, member_id))
        db.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ready(server: LiveServer, deadline: float) -> bool:
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    return False


def start_server(
    database: Path,
    log_path: Path,
    attempts: int = 3,
    port: int | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> LiveServer:
    """On `port` if given (a restart where clients keep their URL), else on a free one;
    `args` and `env` add flags and UNSPOKEN_* variables."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    for _ in range(attempts):
        chosen = port or _free_port()
        command = [sys.executable, "-m", "unspoken", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(chosen), "--database", str(database), *args]
        with log_path.open("ab") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        server = LiveServer(f"http://127.0.0.1:{chosen}", database, log_path, process)
        if _ready(server, time.monotonic() + STARTUP_SECONDS):
            return server
        server.stop()  # most likely the port was taken meanwhile: try another
    raise RuntimeError(f"unspoken serve did not start; its log:\n{server.log()[-4000:]}")


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers (e.g. a second one on the same database after a stop); all stop at the end."""
    servers: list[LiveServer] = []

    def start(
        database: Path | None = None,
        log_name: str = "server.log",
        port: int | None = None,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> LiveServer:
        database = database or tmp_path / "unspoken.db"
        server = start_server(database, tmp_path / log_name, port=port, args=args, env=env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in this thread
    until the session ends, and asyncio tests after it could not start their own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One real Chromium for the whole session (Debian's package, driven by Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _quote_with(story: str, phrase: str) -> str:
    """The first line of dialogue (between straight quotes) that contains `phrase`."""
    for quote in re.findall(r'"([^"]+)"', story):
        if phrase in quote:
            return str(quote)
    raise AssertionError(f"the story no longer says {phrase!r}")


@pytest.fixture
def goodbye_phrases() -> dict[str, str]:
    """What is said in "The Sound of Goodbye", taken from the story by rule, not retyped."""
    story = SEEDS / "the-sound-of-goodbye.txt"
    if not story.is_file():
        pytest.skip(f"the seed story is not here: {story.resolve()} (the shared seeds are absent)")
    text = story.read_text(encoding="utf-8")
    here = _quote_with(text, "I'll be here")
    promise = re.search(r"promise you that (I'll never [^.]+)\.", text)
    assert promise is not None, "the story no longer holds James's promise"
    return {
        "need_time": _quote_with(text, "I need time").split(",")[0],  # "I need time"
        "be_here": next(s for s in re.split(r"(?<=\.) ", here) if "I'll be here" in s),
        "promise": promise.group(1),  # "I'll never keep anything from you again"
        "lets_try": _quote_with(text, "Let's try").strip(),  # "Let's try."
        "come": _quote_with(text, "if you would come"),  # "I didn't know if you would come."
    }
