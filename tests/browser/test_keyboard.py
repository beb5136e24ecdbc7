"""The core flow with the keyboard alone: begin a notebook, let the partner in, write, pass the
pen, open and close the sheet that asks for time. Every stop shows where the focus is; the sheet
keeps the focus inside it, closes on Escape and gives the focus back to what opened it."""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import PHONE, join, person

pytestmark = pytest.mark.browser

MAX_TABS = 40

# The focused control draws a visible ring: its own outline, or (for a hidden radio or
# checkbox) the outline of the label that wraps it. A heading the app focuses on a new screen
# (tabindex -1, never a Tab stop) is not a control and is left alone.
_FOCUS_RING = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body || focused.getAttribute("tabindex") === "-1") {
    return null;
  }
  if (!focused.matches(":focus-visible")) return "";
  for (const element of [focused, focused.closest("label")].filter(Boolean)) {
    const style = getComputedStyle(element);
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
      return `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
    }
  }
  return "";
}"""


def _focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus; each stop must show a focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        ring = page.evaluate(_FOCUS_RING)
        if ring is not None:
            assert ring, f"no visible focus on {page.evaluate('document.activeElement.outerHTML')}"
        if _focused(target):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_core_flow_with_the_keyboard_alone(browser: Browser, live_server) -> None:
    errors: list[str] = []
    james = person(browser, PHONE, live_server.url, errors)
    ella = person(browser, PHONE, live_server.url, errors)

    james.goto("/")
    expect(james.get_by_role("heading", name="Begin a notebook")).to_be_focused()
    tab_to(james, james.get_by_label("Your name"))
    james.keyboard.type("James")
    tab_to(james, james.get_by_role("button", name="Begin the notebook"))
    james.keyboard.press("Enter")
    link = james.get_by_label("Invite link")
    expect(link).to_have_value(re.compile(r"/join/"))

    join(ella, link.input_value(), "Ella", "Delicate script", "Bordeaux")
    tab_to(james, james.get_by_role("button", name="Let them in"))
    james.keyboard.press("Enter")

    draft = james.get_by_label("Your turn")
    tab_to(james, draft)
    james.keyboard.type("I never meant for things to end this way")
    tab_to(james, james.get_by_role("button", name="Write it down"))
    james.keyboard.press("Enter")
    expect(ella.locator(".entry__text")).to_have_text(["I never meant for things to end this way"])
    tab_to(james, james.get_by_role("button", name="Pass the notebook to Ella"))
    james.keyboard.press("Enter")
    expect(ella.get_by_label("Your turn")).to_be_visible()
    # The pen has gone; the focus stays in the foot of the page, on what can be done now.
    expect(james.get_by_role("button", name="Ask for the pen")).to_be_focused()

    _the_sheet_keeps_and_returns_the_focus(james)
    assert errors == []


def _the_sheet_keeps_and_returns_the_focus(page: Page) -> None:
    opener = page.get_by_role("button", name="I need time")
    tab_to(page, opener)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="I need time")
    expect(dialog).to_be_visible()
    inside = "element => element.contains(document.activeElement)"
    assert dialog.evaluate(inside), "the sheet takes the focus when it opens"
    # Round and round: the focus never lands on the page behind the sheet.
    for _ in range(25):
        page.keyboard.press("Tab")
        escaped = page.evaluate(
            "() => document.activeElement !== document.body"
            " && !document.activeElement.closest('dialog')"
        )
        assert not escaped, page.evaluate("document.activeElement.outerHTML")
    # Back again: the cycle also passes through the browser's own controls (the page's body is
    # focused while there), so one more step back may be needed to land in the sheet.
    page.keyboard.press("Shift+Tab")
    if page.evaluate("document.activeElement === document.body"):
        page.keyboard.press("Shift+Tab")
    assert dialog.evaluate(inside)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()
