"""What can be done under the conversation: its own acts near the composer, where a first-time
couple finds "I need time" without scrolling, and the notebook's housekeeping apart, quieter."""

import os

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple

pytestmark = pytest.mark.browser

CONVERSATION = ["I need time", "Make a promise", "Agree together", "Close this chapter"]
HOUSEKEEPING = [
    "Print this chapter",
    "Keep a copy",
    "Notifications",
    "Your devices",
    "Leave this notebook",
]


def _in_first_screen(page: Page, name: str) -> None:
    page.evaluate("scrollTo(0, 0)")
    box = page.get_by_role("button", name=name, exact=True).bounding_box()
    assert box is not None, name
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], (name, box)


def test_i_need_time_is_near_the_composer_and_housekeeping_apart(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    if os.environ.get("UNSPOKEN_LOOK"):
        ella.screenshot(path=os.environ["UNSPOKEN_LOOK"] + "/ella.png", full_page=True)
        james.screenshot(path=os.environ["UNSPOKEN_LOOK"] + "/james.png", full_page=True)
    # With the pen (the composer) and without it (the pen line), before anything is written.
    _in_first_screen(ella, "I need time")
    _in_first_screen(james, "I need time")

    talk = ella.get_by_role("navigation", name="For the conversation")
    for name in CONVERSATION:
        expect(talk.get_by_role("button", name=name, exact=True)).to_be_visible()
    notebook = ella.get_by_role("region", name="Notebook")
    for name in HOUSEKEEPING:
        expect(talk.get_by_role("button", name=name, exact=True)).to_have_count(0)
        expect(notebook.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(notebook.get_by_role("navigation", name="Language")).to_have_count(1)
    # The conversation comes first, then the notebook's housekeeping.
    talk_box, notebook_box = talk.bounding_box(), notebook.bounding_box()
    assert talk_box and notebook_box and talk_box["y"] < notebook_box["y"]
    assert errors == []
