"""Chapters in the browser: closing one gently, beginning the next with the "After a fight"
template, and mirror-before-reply — both partners' screens at every step."""

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from unspoken.client.templates import AFTER_A_FIGHT

from .helpers import PHONE, both_widths, couple, sheet, write

pytestmark = pytest.mark.browser


def _read_only(page: Page) -> None:
    expect(page.get_by_text("This chapter is closed")).to_be_visible()
    expect(page.get_by_label("Your turn")).to_have_count(0)
    expect(page.get_by_role("button", name="Ask for the pen")).to_have_count(0)


def test_close_then_begin_after_a_fight_with_mirror(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    # A pass that fails says so under her composer; the next chapter must not carry it.
    ella.route("**/pen/pass", _refuse)
    ella.get_by_role("button", name="Pass the notebook to James").click()
    expect(ella.locator(".composer .error")).to_be_visible()
    ella.unroute("**/pen/pass")

    dialog = sheet(ella, "Close this chapter")
    dialog.get_by_role("button", name="Close this chapter").click()
    for page in (ella, james):
        _read_only(page)
    expect(james.locator(".note--chapter-closed .note__line")).to_have_text(
        "Ella closed this chapter."
    )

    # Either may begin the next one once it is closed; its opener holds the pen.
    dialog = sheet(james, "Begin a new chapter")
    dialog.get_by_label("A title").fill("After the bar")
    dialog.get_by_role("radio", name="After a fight").check()
    dialog.get_by_label("Mirror before reply").check()
    dialog.get_by_role("button", name="Begin the chapter").click()

    first_step = AFTER_A_FIGHT[0][1]
    for page in (james, ella):
        expect(page.locator(".chapter__title").last).to_have_text("Chapter 2 · After the bar")
        expect(page.locator(".chapter__title").first).to_have_text(
            "Chapter 1 · The first pages · closed"
        )
    expect(james.locator(".composer__step-title")).to_have_text("Step 1 of 5 · Feelings")
    expect(james.locator(".composer__step-prompt")).to_have_text(first_step)
    expect(ella.get_by_text("James has the pen")).to_be_visible()

    # The past chapter folds away, and stays readable.
    first = ella.locator(".chapter").first
    expect(first.locator(".entry__text")).to_be_hidden()
    first.locator(".chapter__title").click()
    expect(first.locator(".entry__text")).to_have_text(["I never meant for things to end this way"])

    _mirror_before_reply(ella, james)
    # Chromium's own line for the refused pass is the only console error.
    assert [e for e in errors if "Failed to load resource" not in e] == []


def _refuse(route: Route) -> None:
    problem = {"type": "about:blank", "title": "Try again", "status": 400, "detail": "No."}
    route.fulfill(status=400, json=problem, content_type="application/problem+json")


def _mirror_before_reply(ella: Page, james: Page) -> None:
    write(james, "Alone. Scared.")
    james.get_by_role("button", name="Pass the notebook to Ella").click()
    restate = ella.get_by_label("Your turn — first, say back what you understood")
    expect(restate).to_be_visible()
    expect(ella.get_by_role("button", name="Say it back")).to_be_visible()
    # A new chapter's first turn: nothing of the last chapter's failed pass, and saying back
    # is the one primary action.
    expect(ella.locator(".composer .error")).to_be_hidden()
    expect(ella.locator(".composer .button--primary")).to_have_text("Say it back")
    expect(ella.get_by_role("button", name="Say it back")).to_have_class(
        re.compile(r"\bbutton--primary\b")
    )
    restate.fill("You felt alone")
    ella.get_by_role("button", name="Say it back").click()

    card = james.get_by_role("region", name="Mirror")
    expect(card.locator(".card__title")).to_have_text("Ella said back what they understood")
    expect(card.locator(".card__quote")).to_have_text("You felt alone")
    expect(
        ella.get_by_label("Waiting for James to say whether you got it", exact=False)
    ).to_be_visible()
    expect(ella.locator(".entry--mirror .entry__mirror")).to_have_text(
        " · said back what they heard"
    )

    card.get_by_role("button", name="There’s more").click()
    expect(ella.get_by_label("Your turn — first, say back what you understood")).to_be_visible()
    ella.get_by_label("Your turn").fill("You felt alone, and scared")
    ella.get_by_role("button", name="Say it back").click()
    james.get_by_role("region", name="Mirror").get_by_role("button", name="You got it").click()
    expect(ella.get_by_label("Your turn — you have the pen")).to_be_visible()
    expect(james.get_by_role("region", name="Mirror")).to_have_count(0)
    # Understood: her own words begin afresh, with nothing said of the restatement before.
    ella.wait_for_timeout(500)
    assert ella.locator(".composer__status").text_content() == ""
    expect(ella.locator(".composer .button--primary")).to_have_text("Write it down")
    both_widths(ella, "mirror-understood", full_page=False)
    write(ella, "I was scared too.")
    expect(james.locator(".entry__text").last).to_have_text("I was scared too.")
