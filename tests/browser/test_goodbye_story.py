"""The Sound of Goodbye, replayed in two browsers: time and space, a promise, and "Let's try."

Ella asks for time with a note, James answers "I'll be here" (keeping his draft meanwhile),
she says she is ready, he promises, she acknowledges, and both agree to "Let's try." — checking
what each side sees at every step. The phrases are taken from the story itself, by the same
rules as tests/client/test_goodbye_story.py; none may reach the database or the log.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, sheet, tab
from .leaks import assert_no_plaintext

pytestmark = [pytest.mark.browser, pytest.mark.seeds]

LONDON = ZoneInfo("Europe/London")  # the time zone helpers.person gives both browsers


def _clock_times(minutes: int) -> re.Pattern[str]:
    """'until H:MM' on a London clock (as en-GB writes it), allowing for the minute turning."""
    now = datetime.now(LONDON)
    moments = [now + timedelta(minutes=minutes, seconds=s) for s in (-5, 0, 65)]
    times = {f"{at.hour}:{at.minute:02d}" for at in moments}
    alternatives = "|".join(times)
    return re.compile(rf"^until (tomorrow at )?({alternatives})$")


@pytest.fixture
def phrases(goodbye_phrases: dict[str, str]) -> dict[str, str]:
    """The story's phrases (tests/conftest.py takes them from the seed, by rule)."""
    return goodbye_phrases


def test_the_sound_of_goodbye(browser: Browser, live_server, phrases: dict[str, str]) -> None:
    assert phrases["need_time"] == "I need time"
    assert phrases["promise"] == "I'll never keep anything from you again"
    assert phrases["lets_try"] == "Let's try."
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)

    _she_asks_for_time(ella, james, phrases)
    _he_will_be_here(ella, james, phrases)
    _she_is_ready(ella, james, phrases)
    _he_promises(ella, james, phrases)
    _lets_try(ella, james, phrases)

    assert errors == []
    secrets = list(phrases.values())
    sources = [live_server.database, live_server.log_path]
    assert_no_plaintext(sources, secrets)
    ella.context.close()
    james.context.close()
    live_server.stop()
    assert_no_plaintext(sources, secrets)


def _she_asks_for_time(ella: Page, james: Page, phrases: dict[str, str]) -> None:
    dialog = sheet(ella, "I need time")
    expect(dialog.get_by_role("radio", name="20 minutes")).to_be_visible()
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_label("A note for James").fill(phrases["need_time"])
    until = _clock_times(180)
    dialog.get_by_role("button", name="Ask for time").click()
    expect(dialog).to_be_hidden()

    mine = ella.get_by_role("region", name="Time and space")
    expect(mine.locator(".card__title")).to_have_text("You asked for time")
    expect(mine.locator(".card__until")).to_have_text(until)
    expect(mine.get_by_role("button", name="I’m ready to talk")).to_be_visible()

    # He is told at once — with her note and the end on his own clock.
    his = james.get_by_role("region", name="Time and space")
    expect(his.locator(".card__title")).to_have_text("Ella asked for time")
    expect(his.locator(".card__until")).to_have_text(until)
    expect(his.locator(".card__quote")).to_have_text(phrases["need_time"])
    expect(james.locator(".note--pause-started .note__line")).to_have_text(
        re.compile(r"^Ella asked for time, until (tomorrow at )?\d{1,2}:\d\d\.$")
    )

    # She still holds the pen and passes it; he may draft, but nothing can be written.
    ella.get_by_role("button", name="Pass the notebook to James").click()
    draft = james.get_by_label("Your draft — kept here until the pause is over")
    expect(draft).to_be_visible()
    draft.fill(phrases["come"])
    expect(james.get_by_role("button", name="Write it down")).to_be_hidden()
    expect(james.get_by_label("Your turn")).to_have_count(0)
    expect(james.get_by_role("button", name="I need time")).to_have_count(0)
    expect(ella.get_by_text("James has the pen")).to_be_visible()


def _he_will_be_here(ella: Page, james: Page, phrases: dict[str, str]) -> None:
    his = james.get_by_role("region", name="Time and space")
    his.get_by_label("A word back (optional)").fill(phrases["be_here"])
    his.get_by_role("button", name="I’ll be here").click()
    expect(his.get_by_text("You said you’ll be here.")).to_be_visible()
    expect(his.get_by_role("button", name="I’ll be here")).to_have_count(0)

    hers = ella.get_by_role("region", name="Time and space")
    expect(hers.get_by_text("James answered: I’ll be here.")).to_be_visible()
    expect(hers.locator(".card__quote").last).to_have_text(phrases["be_here"])
    expect(ella.locator(".note--pause-here .note__quote")).to_have_text(phrases["be_here"])
    # His draft is still where he left it.
    expect(james.locator("#draft")).to_have_value(phrases["come"])


def _she_is_ready(ella: Page, james: Page, phrases: dict[str, str]) -> None:
    ella.get_by_role("button", name="I’m ready to talk").click()
    for page in (ella, james):
        expect(page.get_by_role("region", name="Time and space")).to_have_count(0)
    expect(james.locator(".note--pause-ended .note__line")).to_have_text("Ella is ready to talk.")
    expect(ella.locator(".note--pause-ended .note__line")).to_have_text("You are ready to talk.")

    # He holds the pen now, and his draft is still there: he writes it down.
    expect(james.get_by_label("Your turn")).to_have_value(phrases["come"])
    james.get_by_role("button", name="Write it down").click()
    for page in (ella, james):
        expect(page.locator(".entry__text")).to_have_text([phrases["come"]])


def _he_promises(ella: Page, james: Page, phrases: dict[str, str]) -> None:
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill(phrases["promise"])
    dialog.get_by_role("button", name="Make this promise").click()
    expect(dialog).to_be_hidden()
    expect(ella.locator(".note--promise-made .note__quote")).to_have_text(phrases["promise"])
    expect(ella.locator(".note--promise-made .note__line")).to_have_text("James made a promise.")

    tab(james, "Promises & agreements")
    his = james.locator("[data-promise]")
    expect(his.locator(".commitment__state")).to_have_text("Waiting to be acknowledged")
    expect(his.get_by_role("button", name="Withdraw it")).to_be_visible()

    tab(ella, "Promises & agreements")
    hers = ella.locator("[data-promise]")
    expect(hers.locator(".commitment__text")).to_have_text(phrases["promise"])
    expect(hers.locator(".commitment__who")).to_contain_text("James promised you")
    hers.get_by_role("button", name="Acknowledge").click()
    expect(hers.locator(".commitment__state")).to_have_text("Acknowledged")

    # He sees it live; it can no longer be withdrawn, and its history says so.
    expect(his.locator(".commitment__state")).to_have_text("Acknowledged")
    expect(his.get_by_role("button", name="Withdraw it")).to_have_count(0)
    expect(his.locator(".history li")).to_have_count(2)
    expect(his.locator(".history li").last).to_contain_text("Acknowledged by Ella")
    expect(hers.get_by_text("Mark this promise")).to_be_visible()


def _lets_try(ella: Page, james: Page, phrases: dict[str, str]) -> None:
    tab(ella, "The pages")
    dialog = sheet(ella, "Agree together")
    dialog.get_by_label("What you agree to").fill(phrases["lets_try"])
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()

    hers = ella.locator("[data-agreement]")
    his = james.locator("[data-agreement]")
    tab(ella, "Promises & agreements")
    expect(hers.locator(".commitment__state")).to_have_text("Proposed")
    expect(hers.get_by_text("Waiting for James to agree.")).to_be_visible()
    expect(his.locator(".commitment__state")).to_have_text("Proposed")
    expect(his.locator(".commitment__text")).to_have_text(phrases["lets_try"])
    expect(ella.locator(".commitment--agreed")).to_have_count(0)
    expect(james.locator(".commitment--agreed")).to_have_count(0)

    his.get_by_role("button", name="Agree and sign").click()
    for page in (james, ella):
        agreed = page.locator(".commitment--agreed")
        expect(agreed).to_have_count(1)
        expect(agreed.locator(".commitment__state")).to_have_text("Agreed")
        expect(agreed.locator(".commitment__seal")).to_contain_text("Agreed by both of you")
    tab(ella, "The pages")
    expect(ella.locator(".note--agreement-signed .note__line")).to_have_text("You both agreed.")
    expect(ella.locator(".note--agreement-signed .note__quote")).to_have_text(phrases["lets_try"])
