"""A canary written through the browser never reaches the server in a readable form.

Two real Chromium profiles pair through a relay that keeps every byte the server sends back.
Unique canaries go in as both profile names, an entry, a pause note, a promise and an
agreement, each through the real UI, and each is checked to arrive on the partner's screen.
Then every byte is scanned (tests/browser/leaks.py: UTF-8, UTF-16, base64): the SQLite file
with its WAL and SHM, the server's JSON log with its access lines, a backup made with
`unspoken backup` while the server runs, every answer the server sent, and the files once
more after the server stopped.
"""

import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.helpers import PHONE, couple, sheet, tab, write
from browser.leaks import assert_no_plaintext, leaks
from conftest import LiveServer
from security.tee import Tee

pytestmark = pytest.mark.browser


def _canaries() -> dict[str, str]:
    tag = secrets.token_hex(6)  # unique to this run: found only if this run leaked it
    words = ("creator", "partner", "entry", "pause", "promise", "agreement")
    return {word: f"Kx{tag}{word}" for word in words}


def _pause_with_a_note(ella: Page, james: Page, note: str) -> None:
    dialog = sheet(ella, "I need time")
    dialog.get_by_label(re.compile("^A note for")).fill(note)
    dialog.get_by_role("button", name="Ask for time").click()
    expect(james.get_by_role("region", name="Time and space").locator(".card__quote")).to_have_text(
        note
    )
    ella.get_by_role("button", name="I’m ready to talk").click()
    expect(james.get_by_role("region", name="Time and space")).to_have_count(0)


def _promise(james: Page, ella: Page, text: str) -> None:
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label(re.compile("^What you promise")).fill(text)
    dialog.get_by_role("button", name="Make this promise").click()
    expect(ella.locator(".note--promise-made .note__quote")).to_have_text(text)


def _agreement(ella: Page, james: Page, text: str) -> None:
    dialog = sheet(ella, "Agree together")
    dialog.get_by_label("What you agree to").fill(text)
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()
    tab(james, "Promises & agreements")
    expect(james.locator("[data-agreement] .commitment__text")).to_have_text(text)


def _backup(database: Path, target: Path) -> None:
    command = [sys.executable, "-m", "unspoken", "backup", str(target), "--database", str(database)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 0


def test_no_canary_reaches_the_server(
    browser: Browser, live_server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = live_server_factory(args=("--log-format", "json"))
    canary = _canaries()
    tee = Tee(server.url)
    errors: list[str] = []
    try:
        ella, james = couple(
            browser,
            PHONE,
            tee.url,
            errors,
            first=(canary["creator"], "Delicate script", "Bordeaux"),
            second=(canary["partner"], "Elegant", "Midnight blue"),
        )
        write(ella, canary["entry"])
        expect(james.locator(".entry__text").last).to_have_text(canary["entry"])
        _pause_with_a_note(ella, james, canary["pause"])
        _promise(james, ella, canary["promise"])
        _agreement(ella, james, canary["agreement"])
        notebook_id = ella.url.rsplit("/", 1)[1]
        _backup(server.database, tmp_path / "backup.db")
        assert errors == []
    finally:
        for context in list(browser.contexts):
            context.close()
        tee.close()
    _assert_nothing_leaked(server, tee, tmp_path / "backup.db", notebook_id, canary)


def _assert_nothing_leaked(
    server: LiveServer, tee: Tee, backup: Path, notebook_id: str, canary: dict[str, str]
) -> None:
    database, log_path = server.database, server.log_path
    answers = tee.answers()
    # The scans look at the right bytes: the notebook is in the files, the log has access
    # lines as JSON, and the relay saw the entry's record go by on the live stream.
    assert notebook_id.encode() in database.read_bytes() + Path(f"{database}-wal").read_bytes()
    assert notebook_id.encode() in backup.read_bytes()
    assert re.search(r'"logger": "unspoken.access".*"POST /v1/notebooks/', log_path.read_text())
    assert any(b'"kind":"entry"' in answer for answer in answers)
    words = list(canary.values())
    found = [(i, leak) for i, answer in enumerate(answers) for leak in leaks(answer, words)]
    assert not found, f"an answer from the server held plaintext: {found}"
    assert_no_plaintext([database, log_path, backup], words)
    server.stop()
    assert_no_plaintext([database, log_path, backup], words)
