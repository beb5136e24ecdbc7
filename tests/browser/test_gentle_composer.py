"""The gentle check inside the real composer: it speaks up, offers a wording, never blocks,
and nothing of the draft leaves the browser unsealed."""

import pytest
from playwright.sync_api import Browser, Request, expect

from .helpers import PHONE, begin, join, person

pytestmark = pytest.mark.browser

HARSH = "Whatever. You never listen to me."


def test_the_composer_offers_a_gentler_wording_and_still_sends(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    join(she, begin(he, "James", "Elegant", "Midnight blue"), "Ella", "Delicate script", "Sepia")
    he.get_by_role("button", name="Let them in").click()
    sent: list[str] = []
    he.on("request", lambda request: sent.append(_seen(request)))

    draft = he.get_by_label("Your turn")
    draft.fill(HARSH)
    hints = he.locator(".gentle__hint")
    expect(hints).to_have_count(2)
    expect(he.locator(".gentle__mark--criticism")).to_have_text("You never listen to me")
    expect(he.locator(".gentle__mark--stonewalling")).to_have_text("Whatever")

    he.locator(".gentle__hint--stonewalling").get_by_role("button", name="Use this wording").click()
    expect(draft).not_to_have_value(HARSH)
    assert "Whatever" not in draft.input_value()

    he.get_by_role("button", name="Write it down").click()  # the criticism is still there
    expect(she.locator(".entry__text")).to_have_count(1)
    expect(she.locator(".entry__text")).to_contain_text("You never listen to me")
    assert not [line for line in sent if "listen to me" in line or "Whatever" in line]
    assert errors == []


def _seen(request: Request) -> str:
    return f"{request.url}\n{request.all_headers()}\n{request.post_data or ''}"


def test_a_closed_door_offers_to_ask_for_time_instead(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    join(she, begin(he, "James", "Elegant", "Midnight blue"), "Ella", "Delicate script", "Sepia")
    he.get_by_role("button", name="Let them in").click()

    he.get_by_label("Your turn").fill("Whatever.")
    hint = he.locator(".gentle__hint--stonewalling")
    hint.get_by_role("button", name="Ask for time instead").click()
    dialog = he.get_by_role("dialog", name="I need time")
    expect(dialog).to_be_visible()
    dialog.get_by_role("radio", name="20 minutes").check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(she.get_by_role("region", name="Time and space").locator(".card__title")).to_have_text(
        "James asked for time"
    )
    expect(he.get_by_label("Your turn")).to_have_value("Whatever.")  # the draft is untouched
    assert errors == []
