"""Real Chromium through Playwright, and a tiny static server for tests that need no API."""

import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .helpers import REPO

WEB = REPO / "src" / "unspoken" / "web"
HERE = Path(__file__).resolve().parent


class _StaticHandler(SimpleHTTPRequestHandler):
    """Serves web/static at /static and this folder's harness at /tests; /blank is empty.

    Event-stream requests get the next scripted connection from `event_scripts` (a list of
    chunk lists), written chunk by chunk, and are remembered in `event_requests`.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}
    event_scripts: list[list[str]] = []
    event_requests: list[dict[str, str]] = []

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0]
        if clean.startswith("/tests/"):
            return str(HERE / clean.removeprefix("/tests/"))
        return str(WEB / clean.lstrip("/"))

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        if self.path == "/blank":
            body = b"<!doctype html><meta charset=utf-8><title>blank</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/v1/notebooks/"):
            self._scripted_events()
            return
        super().do_GET()

    def _scripted_events(self) -> None:
        self.event_requests.append(
            {"path": self.path, "authorization": self.headers.get("Authorization", "")}
        )
        if not self.event_scripts:
            self.send_error(503)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for chunk in self.event_scripts.pop(0):
            self.wfile.write(chunk.encode("utf-8"))
            self.wfile.flush()
            time.sleep(0.05)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Keep test output quiet."""


@pytest.fixture
def scripted_events() -> Iterator[tuple[list[list[str]], list[dict[str, str]]]]:
    """(scripts, requests) of the static server's fake event stream, fresh for each test."""
    _StaticHandler.event_scripts = []
    _StaticHandler.event_requests = []
    yield _StaticHandler.event_scripts, _StaticHandler.event_requests
    _StaticHandler.event_scripts = []


@pytest.fixture(scope="session")
def static_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_StaticHandler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def blank_page(browser: Browser, static_url: str) -> Iterator[Page]:
    """A page on the static server's origin, so module imports and WebCrypto work."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_url}/blank")
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _close_pages_afterwards(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test's browser profiles close with it: a page left open would keep retrying its
    outbox and stream against a server that has already stopped, and fail a later test.

    Taking the server factory first makes its teardown (stopping servers) come after ours."""
    if "live_server_factory" in request.fixturenames:
        request.getfixturevalue("live_server_factory")
    yield
    if "browser" in request.fixturenames:
        browser: Browser = request.getfixturevalue("browser")
        for context in list(browser.contexts):
            # A test's own request handlers may still be answering: let them go quietly,
            # so one of them cannot fail after its test, on a page being closed.
            for page in context.pages:
                page.unroute_all(behavior="ignoreErrors")
            context.unroute_all(behavior="ignoreErrors")
            context.close()
