"""Nothing said twice on one screen: while a pause lasts, its card alone says who asked, until
when, with what note, and who answered "I’ll be here"; the margin notes return once it ends."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, sheet, write

pytestmark = pytest.mark.browser


def _seen(page: Page, text: str) -> int:
    return page.get_by_text(text, exact=False).filter(visible=True).count()


def test_a_pause_is_told_once_on_each_screen(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_label("A note for James").fill("Just a little while")
    dialog.get_by_role("button", name="Ask for time").click()
    his = james.get_by_role("region", name="Time and space")
    his.get_by_label("A word back (optional)").fill("Take the time you need")
    his.get_by_role("button", name="I’ll be here").click()
    hers = ella.get_by_role("region", name="Time and space")
    expect(hers.get_by_text("James answered: I’ll be here.")).to_be_visible()

    for page in (ella, james):
        expect(page.locator(".note__quote").filter(visible=True)).to_have_count(0)
        assert _seen(page, "Just a little while") == 1
        assert _seen(page, "Take the time you need") == 1
        assert _seen(page, "be here.") == 1
        # What is spoken (the state sentence) is not counted: only what is shown.
        asked = page.get_by_text(re.compile(r"asked for time")).filter(visible=True)
        asked = asked.and_(page.locator(":not(.visually-hidden)"))
        assert asked.count() == 1, asked.all_inner_texts()

    # Over: the card goes, and the notes are the history, in the margin.
    ella.get_by_role("button", name="I’m ready to talk").click()
    for page in (ella, james):
        expect(page.get_by_role("region", name="Time and space")).to_have_count(0)
        expect(page.locator(".note--pause-started")).to_be_visible()
        expect(page.locator(".note--pause-here")).to_be_visible()
        expect(page.locator(".note--pause-here .note__quote")).to_have_text(
            "Take the time you need"
        )
    assert errors == []


def test_a_knock_offers_passing_the_notebook_once(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    james.get_by_role("button", name="Ask for the pen").click()
    knock = ella.get_by_role("status", name="A knock")
    expect(knock).to_be_visible()
    passing = ella.get_by_role("button", name="Pass the notebook to James").filter(visible=True)
    # On the knock's card, and not again at the foot.
    expect(passing).to_have_count(1)
    expect(knock.get_by_role("button", name="Pass the notebook to James")).to_be_visible()
    # Set aside: the card goes, and the foot offers it, once.
    knock.get_by_role("button", name="Not now").click()
    expect(knock).to_have_count(0)
    expect(passing).to_have_count(1)
    expect(
        ella.locator(".composer").get_by_role("button", name="Pass the notebook to James")
    ).to_be_visible()
    passing.click()
    expect(james.get_by_label("Your turn")).to_be_visible()
    assert errors == []
