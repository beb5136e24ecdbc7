"""A first visit: three short cards — one pen, asking for time, nobody else can read it — each
saying where that lives; skippable, and remembered on this device."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .accessibility import axe_violations
from .helpers import LAPTOP, PHONE, begin, join, person, skip_intro
from .test_tools import in_view, what_matters_in_view

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
    # Seen at once, above the pages, without scrolling; and what the second card points to
    # ("I need time") is in view beside them, for both.
    expect(cards).to_be_in_viewport()
    for page in (ella, james):
        what_matters_in_view(page)
    assert axe_violations(ella) == []
    cards.get_by_role("button", name="Next").click()
    expect(cards.get_by_role("heading")).to_have_text("Asking for time")
    expect(cards.get_by_role("heading")).to_be_focused()
    expect(cards).to_contain_text("“I need time” is at the top of the screen")
    # Where it says: above the cards, at the top.
    in_view(ella, ella.get_by_role("button", name="I need time", exact=True))
    assert (
        ella.get_by_role("button", name="I need time", exact=True).bounding_box()["y"]
        < (cards.bounding_box()["y"])
    )
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


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_with_the_cards_showing_what_waits_is_in_view(
    browser: Browser, live_server, size: dict[str, int]
) -> None:
    errors: list[str] = []
    ella = person(browser, size, live_server.url, errors)
    james = person(browser, size, live_server.url, errors)
    join(james, begin(ella, "Ella", "Delicate script", "Bordeaux"), "James", "Elegant", "Sepia")
    ella.get_by_role("button", name="Let them in").click()
    james.get_by_role("button", name="Ask for the pen").click()
    knock = ella.get_by_role("status", name="A knock")
    for page in (ella, james):
        expect(page.locator(".intro")).to_be_visible()
        page.evaluate("scrollTo(0, 0)")
        what_matters_in_view(page)
        in_view(page, page.locator(".intro").get_by_role("button", name="Next"))
    in_view(ella, knock.get_by_role("button", name="Pass the notebook to James"))
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
    cards.get_by_role("button", name="Suivant").click()
    expect(cards).to_contain_text("« J’ai besoin de temps » est en haut de l’écran")
    in_view(james, james.get_by_role("button", name="J’ai besoin de temps", exact=True))
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
