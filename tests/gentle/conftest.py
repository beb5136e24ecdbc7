"""Real Chromium and a tiny static server for the browser half of the gentle check's tests."""

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from unspoken.api.middleware import CONTENT_SECURITY_POLICY

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "src" / "unspoken" / "web" / "static"
VECTORS = Path(__file__).with_name("vectors.json")
LABELLED = REPO / "tests" / "data" / "gentle-labelled.jsonl"


def load_vectors() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return cases


def labelled_texts() -> list[str]:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


class _Handler(SimpleHTTPRequestHandler):
    """/static/… from the package; /page is an empty page under the app's real CSP."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}
    csp = ""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0]
        return str(STATIC / clean.removeprefix("/static/")) if clean.startswith("/static/") else ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        if self.path != "/page":
            super().do_GET()
            return
        body = (
            b"<!doctype html><meta charset=utf-8><title>gentle</title>"
            b'<link rel="icon" href="data:,">'
            b'<link rel="stylesheet" href="/static/css/unspoken.css">'
            b'<link rel="stylesheet" href="/static/css/gentle.css">'
            b'<main id="app"><form class="composer"><textarea id="draft" '
            b'class="composer__draft" rows="4"></textarea></form></main>'
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Keep test output quiet."""


@pytest.fixture(scope="session")
def gentle_server() -> Iterator[str]:
    handler = partial(_Handler)
    _Handler.csp = CONTENT_SECURITY_POLICY
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def page(browser: Any, gentle_server: str) -> Iterator[Any]:
    """A page under the app's CSP that records any policy violation or script error."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{gentle_server}/page")
    tab.errors = errors
    yield tab
    context.close()
