"""Leaving the notebook screen lets go of everything it listened to on window and document (the
outbox's "online", the tab title's "visibilitychange"; the draft keeper seals as the writer
types and listens to nothing): counted
by Chromium itself, through the DevTools protocol, before and after the screen is left and
entered again."""

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, write

pytestmark = pytest.mark.browser

THE_SCREENS_OWN = ("window:online", "document:visibilitychange")
# The draft keeper used to seal on pagehide (and on visibilitychange, which is now the title's
# alone, once): it no longer listens for them at all.
NOT_LISTENED = ("window:pagehide",)


def _listeners(page: Page) -> dict[str, int]:
    """'target:type' -> how many listeners Chromium holds for it, on window and document."""
    cdp = page.context.new_cdp_session(page)
    counts: dict[str, int] = {}
    try:
        for target in ("window", "document"):
            found = cdp.send("Runtime.evaluate", {"expression": target})["result"]["objectId"]
            held = cdp.send("DOMDebugger.getEventListeners", {"objectId": found})["listeners"]
            for listener in held:
                key = f"{target}:{listener['type']}"
                counts[key] = counts.get(key, 0) + 1
    finally:
        cdp.detach()
    return counts


def _enter_again(page: Page) -> None:
    """Route to the same notebook again, as a language chosen or a step back and forth does."""
    page.evaluate("document.querySelector('.sheet--notebook').dataset.before = 'yes'")
    page.evaluate("dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.locator(".sheet--notebook:not([data-before])")).to_be_visible()
    expect(page.get_by_label("Your turn")).to_be_visible()


def test_leaving_the_notebook_releases_its_listeners(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Heard, then let go")
    open_once = _listeners(ella)
    assert all(open_once.get(key) == 1 for key in THE_SCREENS_OWN), open_once
    assert [key for key in NOT_LISTENED if key in open_once] == [], open_once

    for _ in range(3):
        _enter_again(ella)
    assert _listeners(ella) == open_once

    ella.evaluate("history.pushState(null, '', '/join/nobody')")
    ella.evaluate("dispatchEvent(new PopStateEvent('popstate'))")
    expect(ella.locator(".sheet--notebook")).to_have_count(0)
    left = _listeners(ella)
    assert [key for key in THE_SCREENS_OWN if key in left] == [], left
    assert errors == []
