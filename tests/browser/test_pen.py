"""The pen in the browser: a gentle knock (and the server's 429, said plainly), and watching
the words form in the writer's hand."""

import re

import pytest
from playwright.sync_api import Browser, Route, expect

from .helpers import PHONE, couple

pytestmark = pytest.mark.browser


def _real(errors: list[str]) -> list[str]:
    """Console errors other than Chromium's own line for a refused request (the 429 we expect)."""
    return [e for e in errors if "Failed to load resource" not in e]


def test_a_knock_asks_for_the_pen_once_in_ten_minutes(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    # Without the pen there is nothing to write with.
    expect(james.get_by_label("Your turn")).to_have_count(0)
    expect(james.get_by_role("button", name="Write it down")).to_have_count(0)

    james.get_by_role("button", name="Ask for the pen").click()
    expect(james.get_by_text("Ella will see that you’d like the pen.")).to_be_visible()
    knock = ella.get_by_role("status", name="A knock")
    expect(knock.locator(".card__title")).to_have_text("James would like the pen")
    expect(ella.locator(".note--pen-asked .note__line")).to_have_text("James asked for the pen.")

    james.get_by_role("button", name="Ask for the pen").click()
    asked_again = re.compile(
        r"^You asked a little while ago\. You can ask again in (10|9) minutes, at \d{1,2}:\d\d\.$"
    )
    expect(james.locator(".pen-line__said")).to_have_text(asked_again)

    knock.get_by_role("button", name="Pass the notebook to James").click()
    expect(james.get_by_label("Your turn")).to_be_visible()
    expect(ella.get_by_text("James has the pen")).to_be_visible()
    expect(ella.get_by_role("status", name="A knock")).to_have_count(0)
    assert _real(errors) == []


def test_the_partner_watches_the_words_form(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    forming = james.get_by_role("region", name="Words forming")
    ella.get_by_label("Let James watch the words form").check()
    draft = ella.get_by_label("Your turn")
    draft.press_sequentially("Nor did I", delay=60)
    expect(forming.locator(".forming__who")).to_have_text("Ella is writing…")
    expect(forming.locator(".forming__text")).to_have_text("Nor did I")
    expect(forming.locator(".forming__note")).to_have_text("Not yet written — still forming.")
    expect(james.locator(".entry__text")).to_have_count(0)

    draft.press_sequentially(", and I can't pretend it doesn't hurt", delay=40)
    expect(forming.locator(".forming__text")).to_have_text(
        "Nor did I, and I can't pretend it doesn't hurt"
    )
    style = forming.locator(".forming__text").evaluate("el => getComputedStyle(el).fontFamily")
    assert "Dancing Script" in style, style  # her hand, as her pages are

    ella.get_by_role("button", name="Write it down").click()
    expect(james.locator(".entry__text")).to_have_text(
        ["Nor did I, and I can't pretend it doesn't hurt"]
    )
    expect(forming).to_be_hidden()

    # Turning it off: nothing more is sent, and nothing shows.
    ella.get_by_label("Let James watch the words form").uncheck()
    draft.press_sequentially("A second thought", delay=20)
    james.wait_for_timeout(800)
    expect(forming).to_be_hidden()
    assert _real(errors) == []


def test_the_composer_starts_each_turn_afresh(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write = ella.get_by_role("button", name="Write it down")
    pass_pen = ella.get_by_role("button", name="Pass the notebook to James")
    ella.get_by_label("Your turn").fill("I never meant to hurt you")
    write.click()
    expect(ella.locator(".composer__status")).to_have_text("Sent")

    # The first pass fails (the notebook answers nothing useful), and says so; the second passes.
    failed: list[str] = []

    def refuse_once(route: Route) -> None:
        if failed:
            route.continue_()
            return
        failed.append(route.request.url)
        problem = {"type": "about:blank", "title": "Try again", "status": 400, "detail": "No."}
        route.fulfill(status=400, json=problem, content_type="application/problem+json")

    ella.route("**/pen/pass", refuse_once)
    pass_pen.click()
    expect(ella.locator(".composer .error")).to_be_visible()
    pass_pen.click()
    expect(james.get_by_label("Your turn")).to_be_visible()
    james.get_by_label("Your turn").fill("Nor did I")
    james.get_by_role("button", name="Write it down").click()
    james.get_by_role("button", name="Pass the notebook to Ella").click()

    # The pen is back: a new turn, with nothing of the last one left under the empty page.
    expect(ella.get_by_label("Your turn")).to_be_visible()
    expect(ella.locator(".entry__text")).to_have_text(["I never meant to hurt you", "Nor did I"])
    expect(ella.locator(".composer .error")).to_be_hidden()
    expect(ella.locator(".composer__status")).to_have_text("")
    # Settled, not a passing moment: no late answer from the last turn says "Sent" after all.
    ella.wait_for_timeout(1000)
    assert ella.locator(".composer__status").text_content() == ""
    expect(ella.locator(".composer .button--primary")).to_have_text("Write it down")
    expect(write).to_have_class(re.compile(r"\bbutton--primary\b"))
    expect(pass_pen).not_to_have_class(re.compile(r"\bbutton--primary\b"))

    # A wait with the pen kept (James asks for time, then is ready) begins a turn too.
    ella.get_by_label("Your turn").fill("Then let us start again")
    write.click()
    expect(ella.locator(".composer__status")).to_have_text("Sent")
    james.get_by_role("button", name="I need time", exact=True).click()
    dialog = james.get_by_role("dialog")
    dialog.get_by_role("radio", name="20 minutes").check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(ella.get_by_label("Your draft — kept here until the pause is over")).to_be_visible()
    james.get_by_role("button", name="I’m ready to talk").click()
    expect(ella.get_by_label("Your turn")).to_be_visible()
    ella.wait_for_timeout(500)
    assert ella.locator(".composer__status").text_content() == ""
    expect(write).to_have_class(re.compile(r"\bbutton--primary\b"))
    assert _real(errors) == []
