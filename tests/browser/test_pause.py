"""Asking for time in the browser: a pause "until tomorrow morning" ends on the hour."""

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, sheet

pytestmark = pytest.mark.browser


def test_until_tomorrow_morning_ends_at_eight_not_a_minute_before(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    # Where it is early afternoon now: between five and eight in the morning "tomorrow morning"
    # is more than a day away, and the pause is the longest there is instead (24 hours).
    offset = (14 - time.gmtime().tm_hour + 12) % 24 - 12
    zone = f"Etc/GMT{'-' if offset >= 0 else '+'}{abs(offset)}"  # Etc/GMT-2 is two hours ahead
    ella, _ = couple(browser, PHONE, live_server.url, errors, timezone_id=zone)
    # Late in a minute, when the minutes left until eight are nearer the lower whole number.
    while not 35 <= time.localtime().tm_sec <= 45:
        time.sleep(0.2)
    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name=re.compile("^Until tomorrow morning")).check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(dialog).to_be_hidden()
    card = ella.get_by_role("region", name="Time and space")
    expect(card.locator(".card__until")).to_have_text(re.compile(r" 8:00$"))
    assert errors == []


def test_after_midnight_tomorrow_morning_is_the_coming_one(blank_page: Page) -> None:
    """At 00:30 "until tomorrow morning" is 7 h 30, not the morning after (clamped to 24 h)."""
    script = """async () => {
      const { untilMorning } = await import('/static/js/views/pause.js');
      return [
        untilMorning(new Date(2026, 11, 7, 0, 30, 0)),
        untilMorning(new Date(2026, 11, 7, 4, 59, 30)),
        untilMorning(new Date(2026, 11, 6, 22, 5, 40)),
      ];
    }"""
    assert blank_page.evaluate(script) == [450, 181, 595]
