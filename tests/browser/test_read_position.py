"""“She read his words” and “Ella is here”: off by default on each device; once turned on, the
other sees under their last words that they were read, and that the partner is here while the
notebook is open in sight on their device — sealed and signed, relayed live, never stored, never
readable by the server, and sent on a steady beat that says nothing of when words were read."""

import json
import time

import pytest
from playwright.sync_api import Browser, Request, expect

from .accessibility import axe_violations
from .helpers import PHONE, couple, write

pytestmark = pytest.mark.browser

CHOICE = "Let Ella see when you’re here and what you’ve read"
# A beat every 10 s (views/seen.js): what waits for the next one is given a little more.
BEAT = 15_000
HIDE = """(hidden) => {
  Object.defineProperty(document, "visibilityState", {
    value: hidden ? "hidden" : "visible", configurable: true,
  });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_read_position_is_told_only_when_turned_on(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    told: list[dict[str, object]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/seen"):
            told.append(json.loads(request.post_data or "{}"))

    james.on("request", record)
    write(ella, "Are you there?")
    expect(james.locator(".entry__text")).to_have_text(["Are you there?"])
    # Off by default: nothing is sent, nothing is shown.
    expect(james.get_by_label(CHOICE)).not_to_be_checked()
    james.wait_for_timeout(500)
    assert told == []
    expect(ella.locator(".seen")).to_be_hidden()

    james.get_by_label(CHOICE).check()
    expect(ella.get_by_role("status").filter(has_text="James has read your words.")).to_be_visible()
    assert told and set(told[0]) == {"n", "ct", "sig"}  # how far is sealed, not said
    assert axe_violations(james) == []

    # Her newer words are not yet read while his tab is out of sight; then they are.
    james.evaluate(HIDE, True)
    write(ella, "I’d like to talk tonight.")
    expect(james.locator(".entry__text")).to_have_count(2)
    expect(ella.locator(".seen")).to_be_hidden()
    james.evaluate(HIDE, False)
    expect(ella.locator(".seen")).to_be_visible(timeout=BEAT)

    # Remembered on his device; and turned off, nothing more is told.
    james.reload()
    expect(james.get_by_label(CHOICE)).to_be_checked()
    james.get_by_label(CHOICE).uncheck()
    sent = len(told)
    write(ella, "Tonight works for me.")
    expect(james.locator(".entry__text")).to_have_count(3)
    james.wait_for_timeout(500)
    assert len(told) == sent
    expect(ella.locator(".seen")).to_be_hidden()
    assert errors == []


def test_a_read_position_not_signed_by_the_reader_is_not_shown(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Are you there?")
    # A frame whose signature is not James's device's: refused, and nothing is shown.
    james.route(
        "**/seen",
        lambda route: route.continue_(
            post_data=json.dumps({**json.loads(route.request.post_data or "{}"), "sig": "A" * 86})
        ),
    )
    james.get_by_label(CHOICE).check()
    james.wait_for_timeout(1000)
    expect(ella.locator(".seen")).to_be_hidden()
    assert [e for e in errors if "Failed to load resource" not in e] == []


def test_the_partner_is_here_while_their_notebook_is_open_in_sight(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    told: list[tuple[float, dict[str, object]]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/seen"):
            told.append((time.monotonic(), json.loads(request.post_data or "{}")))

    james.on("request", record)
    here = ella.locator(".presence")
    expect(here).to_be_hidden()
    james.get_by_label(CHOICE).check()
    expect(ella.get_by_role("status").filter(has_text="James is here.")).to_be_visible()
    # Only the one who turned it on is told of: Ella turned nothing on.
    expect(james.locator(".presence")).to_be_hidden()
    assert axe_violations(ella) == []

    # Out of sight, the beat goes on (the server cannot tell a hidden tab from its timing), and
    # says so inside the box: she no longer sees him here. Back in sight, she does again.
    james.evaluate(HIDE, True)
    hidden_at = len(told)
    expect(here).to_be_hidden(timeout=BEAT)
    assert len(told) > hidden_at
    write(ella, "Are you there?")
    expect(james.locator(".entry__text")).to_have_text(["Are you there?"])
    james.evaluate(HIDE, False)
    expect(here).to_be_visible(timeout=BEAT)
    expect(ella.locator(".seen")).to_be_visible(timeout=BEAT)

    # Words read and a tab back in sight sent nothing of their own: after the first (at turning
    # it on), each frame came a beat after the one before. No clock is said in the clear.
    gaps = [b[0] - a[0] for a, b in zip(told[1:], told[2:], strict=False)]
    assert gaps and min(gaps) > 9, gaps
    now_ms = time.time() * 1000
    assert all(abs(int(frame["n"]) - now_ms) > 86_400_000 for _, frame in told)  # type: ignore[call-overload]
    assert len({frame["n"] for _, frame in told}) == len(told)

    # Gone (the page closed): a little after the last beat, she no longer sees him here.
    james.context.close()
    expect(here).to_be_hidden(timeout=40_000)
    assert errors == []
