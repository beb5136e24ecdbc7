"""What waits for you, seen without looking for it: a count on "Promises & agreements", a knock
at the top that stays in sight while the page scrolls, and the tab's title saying whose turn
it is and how many pages came while the tab was out of sight."""

import pytest
from playwright.sync_api import Browser, Page, expect

from .accessibility import axe_violations
from .helpers import PHONE, couple, sheet, tab, write

pytestmark = pytest.mark.browser

HIDE = """(hidden) => {
  Object.defineProperty(document, "visibilityState", {
    value: hidden ? "hidden" : "visible", configurable: true,
  });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def _tab(page: Page):
    return page.get_by_role("button", name="Promises & agreements", exact=True)


def test_a_count_on_promises_and_agreements(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    expect(_tab(ella).locator(".tabs__badge")).to_be_hidden()

    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill("I’ll call when I’m late")
    dialog.get_by_role("button", name="Make this promise").click()
    expect(_tab(ella).locator(".tabs__badge")).to_have_text("1")
    expect(_tab(ella)).to_have_accessible_description("1 thing waits for you here.")
    # The one who promised has nothing waiting.
    expect(_tab(james).locator(".tabs__badge")).to_be_hidden()
    assert axe_violations(ella) == []

    dialog = sheet(james, "Agree together")
    dialog.get_by_label("What you agree to").fill("No phones at dinner.")
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(_tab(ella).locator(".tabs__badge")).to_have_text("2")
    expect(_tab(ella)).to_have_accessible_description("2 things wait for you here.")

    tab(ella, "Promises & agreements")
    ella.locator("[data-promise]").get_by_role("button", name="Acknowledge").click()
    expect(_tab(ella).locator(".tabs__badge")).to_have_text("1")
    ella.locator("[data-agreement]").get_by_role("button", name="Agree and sign").click()
    expect(_tab(ella).locator(".tabs__badge")).to_be_hidden()
    expect(_tab(ella)).to_have_accessible_description("")
    assert errors == []


def test_a_knock_is_seen_wherever_the_holder_is(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    long = "I keep coming back to that evening, and to what neither of us said. " * 6
    for _ in range(4):
        write(ella, long)
    ella.evaluate("scrollTo(0, 0)")
    james.get_by_role("button", name="Ask for the pen").click()
    knock = ella.get_by_role("status", name="A knock")
    # At the top of the screen, above the pages: seen on arrival, without scrolling.
    expect(knock).to_be_in_viewport()
    # Writing at the foot, far below: still in sight.
    ella.get_by_label("Your turn").scroll_into_view_if_needed()
    expect(ella.get_by_label("Your turn")).to_be_in_viewport()
    expect(knock).to_be_in_viewport()
    assert axe_violations(ella) == []

    # Said once: the margin's "James asked for the pen." waits behind the card.
    expect(ella.locator(".note--pen-asked")).to_be_hidden()
    knock.get_by_role("button", name="Not now").click()
    expect(knock).to_have_count(0)
    expect(ella.locator(".note--pen-asked")).to_be_visible()
    expect(ella.get_by_label("Your turn")).to_be_focused()
    # Set aside, not answered: passing stays one tap away in the foot.
    ella.get_by_role("button", name="Pass the notebook to James").click()
    expect(james.get_by_label("Your turn")).to_be_visible()
    assert errors == []


def test_the_title_says_whose_turn_and_what_came(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    expect(ella).to_have_title("Your turn · Unspoken")
    expect(james).to_have_title("Unspoken")

    james.evaluate(HIDE, True)
    write(ella, "Are you there?")
    expect(james).to_have_title("(1) Unspoken")
    write(ella, "I’d like to talk tonight.")
    ella.get_by_role("button", name="Pass the notebook to James").click()
    expect(james).to_have_title("(2) Your turn · Unspoken")
    expect(ella).to_have_title("Unspoken")
    # Nothing of the words themselves is in the title.
    assert "talk" not in james.title()

    james.evaluate(HIDE, False)
    expect(james).to_have_title("Your turn · Unspoken")

    # Asking for time: the other's pen waits, and the title no longer says it is their turn.
    dialog = sheet(james, "I need time")
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(ella).to_have_title("Unspoken")

    james.get_by_role("button", name="Français").click()
    expect(james).to_have_title("À toi d’écrire · Unspoken")
    assert errors == []
