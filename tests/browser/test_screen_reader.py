"""What a screen reader is told of the rules, read from the accessibility tree: the foot of the
page is named by who holds the pen (and any pause, until when on the reader's clock); the pause
card is described by who asked and until when; the draft says whether the partner can watch it
form; and every change of state is said once in a polite live region."""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import PHONE, couple, sheet

pytestmark = pytest.mark.browser

CLOCK = r"(tomorrow at )?\d{1,2}:\d\d"


def _live(page: Page) -> Locator:
    """The notebook's own live region (the other statuses belong to single controls)."""
    return page.locator('[role="status"][aria-live="polite"][aria-atomic="true"]')


def test_the_rules_state_is_named_and_announced(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)

    assert '- region "The pen is yours."' in ella.locator("main").aria_snapshot()
    assert '- region "The pen is with Ella."' in james.locator("main").aria_snapshot()
    expect(_live(james)).to_have_text("The pen is with Ella.")

    ella.get_by_role("button", name="Pass the notebook to James").click()
    expect(_live(james)).to_have_text("The pen is yours.")
    expect(_live(ella)).to_have_text("The pen is with James.")
    expect(james.get_by_role("region", name="The pen is yours.")).to_be_visible()

    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_role("button", name="Ask for time").click()
    paused = re.compile(rf"^The pen is yours\. The notebook is paused until {CLOCK}: Ella asked")
    expect(_live(james)).to_have_text(paused)
    card = james.get_by_role("region", name="Time and space")
    expect(card).to_have_accessible_description(re.compile(rf"^Ella asked for time until {CLOCK}$"))
    expect(james.get_by_role("region", name=paused)).to_be_visible()
    mine = ella.get_by_role("region", name="Time and space")
    expect(mine).to_have_accessible_description(re.compile(rf"^You asked for time until {CLOCK}$"))
    expect(_live(ella)).to_have_text(re.compile(rf"paused until {CLOCK}, as you asked\.$"))

    ella.get_by_role("button", name="I’m ready to talk").click()
    expect(_live(james)).to_have_text("The pen is yours.")
    assert errors == []


def test_the_writer_knows_the_partner_can_watch(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    draft = ella.get_by_label("Your turn")
    expect(draft).to_have_accessible_description("")
    ella.get_by_label("Let James watch the words form").check()
    expect(draft).to_have_accessible_description("James can watch these words form as you write.")

    draft.press_sequentially("Nor did I", delay=40)
    forming = james.get_by_role("region", name="Words forming")
    expect(forming).to_have_accessible_description("Ella is writing…")
    ella.get_by_label("Let James watch the words form").uncheck()
    expect(draft).to_have_accessible_description("")
    assert errors == []
