"""A first visit: three short cards — one pen, asking for time, nobody else can read it — each
saying where that lives; skippable, and remembered on this device."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .accessibility import axe_violations
from .helpers import LAPTOP, PHONE, begin, join, person, skip_intro

pytestmark = pytest.mark.browser


def test_three_cards_once_per_device(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella = person(browser, PHONE, live_server.url, errors)
    james = person(browser, LAPTOP, live_server.url, errors)
    join(james, begin(ella, "Ella", "Delicate script", "Bordeaux"), "James", "Elegant", "Sepia")
    ella.get_by_role("button", name="Let them in").click()
    expect(james.get_by_text("Ella has the pen")).to_be_visible()

    cards = ella.locator(".intro")
    expect(cards.get_by_role("heading")).to_have_text("One pen")
    expect(cards).to_contain_text("1 of 3")
    expect(cards).to_contain_text("hand the notebook to James")
    # Seen at once, above the pages, without scrolling.
    expect(cards).to_be_in_viewport()
    assert axe_violations(ella) == []
    cards.get_by_role("button", name="Next").click()
    expect(cards.get_by_role("heading")).to_have_text("Asking for time")
    expect(cards.get_by_role("heading")).to_be_focused()
    expect(cards).to_contain_text("“I need time” is the first button under the pages.")
    cards.get_by_role("button", name="Next").click()
    expect(cards.get_by_role("heading")).to_have_text("Nobody else can read it")
    expect(cards.get_by_role("button", name="Skip")).to_be_hidden()
    cards.get_by_role("button", name="Begin").click()
    expect(cards).to_have_count(0)
    expect(ella.get_by_role("button", name="The pages", exact=True)).to_be_focused()

    # Remembered on this device: not shown again after a reload.
    ella.reload()
    expect(ella.get_by_label("Your turn")).to_be_visible()
    expect(ella.locator(".intro")).to_have_count(0)

    # James, on his own device, has not seen them; he skips at the first card.
    expect(james.locator(".intro")).to_be_visible()
    skip_intro(james)
    expect(james.locator(".intro")).to_have_count(0)
    james.reload()
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    expect(james.locator(".intro")).to_have_count(0)
    assert errors == []


def test_the_cards_speak_french(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella = person(browser, PHONE, live_server.url, errors, locale="fr-FR")
    james = person(browser, PHONE, live_server.url, errors, locale="fr-FR")
    link = begin_fr(ella)
    james.goto(link)
    james.get_by_label("Ton prénom").fill("James")
    james.get_by_role("button", name="Rejoindre le carnet").click()
    ella.get_by_role("button", name="Faire entrer").click()
    cards = james.locator(".intro")
    expect(cards.get_by_role("heading")).to_have_text("Une seule plume")
    expect(cards).to_contain_text("1 sur 3")
    cards.get_by_role("button", name="Passer").click()
    expect(cards).to_have_count(0)
    assert errors == []


def begin_fr(page: Page) -> str:
    page.goto("/")
    page.get_by_label("Ton prénom").fill("Ella")
    page.get_by_role("button", name="Commencer le carnet").click()
    field = page.get_by_label("Lien d’invitation")
    expect(field).to_have_value(re.compile(r"/join/"))
    return field.input_value()
