"""“She read his words”: off by default on each device; once turned on, the other sees it under
their last words — sealed and signed, relayed live, never stored, never readable by the server."""

import json

import pytest
from playwright.sync_api import Browser, Request, expect

from .accessibility import axe_violations
from .helpers import PHONE, couple, write

pytestmark = pytest.mark.browser

CHOICE = "Let Ella see when you’ve read their words"


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
    james.evaluate("""() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    }""")
    write(ella, "I’d like to talk tonight.")
    expect(james.locator(".entry__text")).to_have_count(2)
    expect(ella.locator(".seen")).to_be_hidden()
    james.evaluate("""() => {
      Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }""")
    expect(ella.locator(".seen")).to_be_visible()

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
