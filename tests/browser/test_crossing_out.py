"""Crossing out a line in the browser: the writer's own lines offer a quiet "Cross out", asked
once; both partners then see the line struck through and named so. The partner's lines offer
nothing."""

import pytest
from playwright.sync_api import Browser, expect

from .helpers import PHONE, couple, write

pytestmark = pytest.mark.browser


def test_ella_crosses_out_a_line_and_james_sees_it_struck_through(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I said that too quickly.")
    write(ella, "What I meant: I miss our evenings.")
    expect(james.locator(".entry__text")).to_have_count(2)
    # Only the writer's own lines offer it; the partner's never do.
    expect(james.get_by_role("button", name="Cross out")).to_have_count(0)
    first = ella.locator("article.entry").first
    expect(first.get_by_role("button", name="Cross out")).to_have_count(1)

    # Keyboard: the button is reached and pressed like any other; "Keep it" changes nothing.
    first.get_by_role("button", name="Cross out").focus()
    expect(first.get_by_role("button", name="Cross out")).to_be_visible()
    ella.keyboard.press("Enter")
    dialog = ella.get_by_role("dialog", name="Cross out this line?")
    expect(dialog).to_contain_text("It stays in the notebook, struck through, for both of you.")
    # The question shows the line it is about: on a wide screen the dialog sits over it.
    expect(dialog.locator(".crossing__line")).to_have_text("I said that too quickly.")
    dialog.get_by_role("button", name="Keep it as it is").click()
    expect(dialog).to_have_count(0)
    expect(ella.locator(".entry--crossed")).to_have_count(0)

    first.get_by_role("button", name="Cross out").click()
    ella.get_by_role("dialog").get_by_role("button", name="Cross it out").click()
    expect(ella.get_by_role("dialog")).to_have_count(0)

    mine = ella.locator("article.entry--crossed")
    expect(mine).to_have_count(1)
    expect(mine.locator(".entry__text")).to_have_text("I said that too quickly.")
    expect(mine.locator(".entry__meta")).to_contain_text("crossed out by you")
    expect(mine.get_by_role("button", name="Cross out")).to_have_count(0)

    theirs = james.locator("article.entry--crossed")
    expect(theirs).to_have_count(1)
    expect(theirs.locator(".entry__text")).to_have_text("I said that too quickly.")
    expect(theirs.locator(".entry__meta")).to_contain_text("crossed out by Ella")
    line = theirs.locator(".entry__text").evaluate("el => getComputedStyle(el).textDecorationLine")
    assert line == "line-through"
    # The line after it is not crossed out, and still reads as written.
    expect(james.locator("article.entry:not(.entry--crossed) .entry__text")).to_have_text(
        ["What I meant: I miss our evenings."]
    )
    expect(james.locator(".note--refused")).to_have_count(0)
    assert errors == []
