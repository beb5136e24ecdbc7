"""An agreement is more than "sign": "not yet" with a note, and other words, in two browsers.

James proposes; Ella says not yet with a short note, which James sees opened and verified, in
the margin and on the agreement's card; Ella proposes other words, which replace the text and
need both signatures again (hers comes with her words); James signs, and both see it agreed.
None of the words may reach the database or the log.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, sheet, tab
from .leaks import assert_no_plaintext

pytestmark = [pytest.mark.browser]

FIRST = "We talk every Sunday evening."
NOTE = "Sundays are hard for me. Can we find another day?"
OTHER = "We talk one evening a week, the one that suits us both."


def test_not_yet_then_other_words_then_both_sign(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)

    dialog = sheet(james, "Agree together")
    dialog.get_by_label("What you agree to").fill(FIRST)
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()

    hers = ella.locator("[data-agreement]")
    his = james.locator("[data-agreement]")
    tab(ella, "Promises & agreements")
    tab(james, "Promises & agreements")
    expect(hers.locator(".commitment__text")).to_have_text(FIRST)
    # Three choices wait for her; only "propose other words" for him.
    expect(hers.get_by_role("button", name="Agree and sign")).to_be_visible()
    expect(hers.get_by_text("Not yet", exact=True)).to_be_visible()
    expect(hers.get_by_text("Propose other words", exact=True)).to_be_visible()
    expect(his.get_by_role("button", name="Agree and sign")).to_have_count(0)
    expect(his.get_by_text("Not yet", exact=True)).to_have_count(0)

    hers.get_by_text("Not yet", exact=True).click()
    hers.get_by_label("A short note (optional)").fill(NOTE)
    hers.get_by_role("button", name="Say not yet").click()
    expect(hers.locator(".commitment__status")).to_have_text(
        "You said not yet. You can still sign, or propose other words."
    )
    expect(hers.get_by_text("Not yet", exact=True).first).to_be_visible()  # the card's state
    expect(hers.get_by_role("button", name="Say not yet")).to_have_count(0)

    # James sees it live on the card, with her note opened and verified, and in the margin.
    expect(his.locator(".commitment__state")).to_have_text("Not yet")
    expect(his.locator(".commitment__status")).to_have_text("Ella said not yet.")
    expect(his.locator(".commitment__text")).to_have_text([FIRST, NOTE])
    tab(james, "The pages")
    note = james.locator(".note--agreement-declined")
    expect(note.locator(".note__line")).to_have_text("Ella said not yet to an agreement.")
    expect(note.locator(".note__quote")).to_have_text([FIRST, NOTE])
    tab(james, "Promises & agreements")

    # Ella proposes other words: the textarea begins with the current ones.
    hers.get_by_text("Propose other words", exact=True).click()
    words = hers.get_by_label("Your words")
    expect(words).to_have_value(FIRST)
    words.fill(OTHER)
    hers.get_by_role("button", name="Sign and propose these words").click()
    expect(hers.locator(".commitment__text")).to_have_text([OTHER])
    expect(hers.locator(".commitment__state")).to_have_text("Proposed")
    expect(hers.get_by_text("Waiting for James to agree.")).to_be_visible()
    expect(hers.get_by_role("button", name="Agree and sign")).to_have_count(0)

    expect(his.locator(".commitment__text")).to_have_text([OTHER])
    expect(his.locator(".commitment__who")).to_contain_text("Ella’s words")
    expect(his.get_by_text("Ella signed. It is agreed once you sign too.")).to_be_visible()
    his.get_by_role("button", name="Agree and sign").click()
    for page in (james, ella):
        agreed = page.locator(".commitment--agreed")
        expect(agreed).to_have_count(1)
        expect(agreed.locator(".commitment__text")).to_have_text(OTHER)
        expect(agreed.locator(".commitment__seal")).to_contain_text("Agreed by both of you")
    _margin_says(ella)

    assert errors == []
    secrets = [FIRST, NOTE, OTHER]
    sources = [live_server.database, live_server.log_path]
    assert_no_plaintext(sources, secrets)
    ella.context.close()
    james.context.close()


def _margin_says(ella: Page) -> None:
    tab(ella, "The pages")
    revised = ella.locator(".note--agreement-revised")
    expect(revised.locator(".note__line")).to_have_text("You proposed other words to agree on.")
    expect(revised.locator(".note__quote")).to_have_text(OTHER)
    signed = ella.locator(".note--agreement-signed")
    expect(signed.locator(".note__line")).to_have_text("You both agreed.")
    expect(signed.locator(".note__quote")).to_have_text(OTHER)
