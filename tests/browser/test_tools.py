"""What can be done around the conversation: "I need time" and what waits (the count on
"Promises & agreements", a knock) in a bar that stays at the top of the screen, so a couple
finds them without scrolling however long the pages are; the conversation's other acts near the
composer; and the notebook's housekeeping apart, quieter."""

import os

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import LAPTOP, PHONE, couple, sheet, write

pytestmark = pytest.mark.browser

CONVERSATION = ["Make a promise", "Agree together", "Close this chapter"]
HOUSEKEEPING = [
    "Print this chapter",
    "Keep a copy",
    "Notifications",
    "Your devices",
    "Leave this notebook",
]
LINES = [
    "I walked by the river this morning and thought of you.",
    "The kettle is on, and the light is soft today.",
    "I would like us to talk about the weekend.",
]
SIZES = pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])


def in_view(page: Page, target: Locator) -> None:
    """Wholly inside the viewport as the page is now: not merely visible, not cut off."""
    expect(target).to_be_visible()
    box = target.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= size["height"], box
    assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"], box


def need_time(page: Page) -> Locator:
    return page.get_by_role("button", name="I need time", exact=True)


def promises_tab(page: Page) -> Locator:
    return page.get_by_role("button", name="Promises & agreements", exact=True)


def what_matters_in_view(page: Page) -> None:
    """ "I need time" and the tab that counts what waits, in view."""
    in_view(page, need_time(page))
    in_view(page, promises_tab(page))


def test_i_need_time_is_at_the_top_and_housekeeping_apart(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    if os.environ.get("UNSPOKEN_LOOK"):
        ella.screenshot(path=os.environ["UNSPOKEN_LOOK"] + "/ella.png", full_page=True)
        james.screenshot(path=os.environ["UNSPOKEN_LOOK"] + "/james.png", full_page=True)
    # With the pen (the composer) and without it (the pen line), before anything is written.
    for page in (ella, james):
        what_matters_in_view(page)
        expect(need_time(page)).to_have_count(1)

    talk = ella.get_by_role("navigation", name="For the conversation")
    for name in CONVERSATION:
        expect(talk.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(talk.get_by_role("button", name="I need time", exact=True)).to_have_count(0)
    notebook = ella.get_by_role("region", name="Notebook")
    for name in HOUSEKEEPING:
        expect(talk.get_by_role("button", name=name, exact=True)).to_have_count(0)
        expect(notebook.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(notebook.get_by_role("navigation", name="Language")).to_have_count(1)
    # The conversation comes first, then the notebook's housekeeping.
    talk_box, notebook_box = talk.bounding_box(), notebook.bounding_box()
    assert talk_box and notebook_box and talk_box["y"] < notebook_box["y"]
    assert errors == []


@SIZES
def test_after_many_pages_and_a_reload_nothing_waits_below_the_fold(
    browser: Browser, live_server, size: dict[str, int]
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, size, live_server.url, errors)
    for line in LINES * 2:
        write(ella, line)
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill("I’ll call when I’m late")
    dialog.get_by_role("button", name="Make this promise").click()
    james.get_by_role("button", name="Ask for the pen").click()
    knock = ella.get_by_role("status", name="A knock")
    expect(knock).to_be_visible()
    for page in (ella, james):
        page.reload()
        page.evaluate("scrollTo(0, 0)")
    expect(promises_tab(ella).locator(".tabs__badge")).to_have_text("1")
    for page in (ella, james):
        what_matters_in_view(page)
    in_view(ella, knock)
    in_view(ella, knock.get_by_role("button", name="Pass the notebook to James"))

    # Down at the foot, writing, or at the very end: all of it is still there at the top, and
    # the field written in is not hidden under it.
    field = ella.get_by_label("Your turn")
    field.focus()
    in_view(ella, field)
    assert field.bounding_box()["y"] >= knock.bounding_box()["y"] + knock.bounding_box()["height"]
    for page in (ella, james):
        page.evaluate("scrollTo(0, document.body.scrollHeight)")
        what_matters_in_view(page)
    in_view(ella, knock)
    # And it is the one the screen means: it opens the sheet for asking for time.
    expect(sheet(james, "I need time")).to_contain_text("A note for Ella")
    assert errors == []


@SIZES
def test_with_a_margin_note_it_is_in_view_for_both(
    browser: Browser, live_server, size: dict[str, int]
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, size, live_server.url, errors)
    write(ella, LINES[0])
    james.get_by_role("button", name="Ask for the pen").click()
    ella.get_by_role("status", name="A knock").get_by_role("button", name="Not now").click()
    expect(ella.locator(".note--pen-asked")).to_be_visible()
    expect(james.locator(".note--pen-asked")).to_be_visible()
    # She begins to write; the draft is kept, and the foot says so.
    ella.get_by_label("Your turn").fill("The kettle is on")
    expect(ella.get_by_text("Saved on this device")).to_be_visible()
    for page in (ella, james):
        page.evaluate("scrollTo(0, 0)")
        what_matters_in_view(page)
    assert errors == []
