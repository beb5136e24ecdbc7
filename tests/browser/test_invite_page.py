"""The invite page: who sent it, from the sealed greeting alone; a link that cannot be used is
refused before the form; and the page reads well to a screen reader."""

import json
import re

import pytest
from playwright.sync_api import Browser, Route, expect

from .accessibility import axe_violations
from .helpers import PHONE, begin, join, person

pytestmark = pytest.mark.browser


def test_the_page_names_the_inviter_in_their_hand(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    link = begin(he, "James", "Elegant", "Midnight blue")
    she.goto(link)
    heading = she.get_by_role("heading", level=1)
    expect(heading).to_have_text("James invites you to share a notebook")
    expect(she.locator(".join__inviter")).to_have_attribute("data-hand", re.compile(r".+"))
    expect(she.get_by_text("A notebook for the two of you: one pen")).to_be_visible()
    # Landmarks, a labelled form, and nothing axe-core finds wrong.
    expect(she.get_by_role("main")).to_have_count(1)
    expect(she.get_by_role("form", name="James invites you to share a notebook")).to_be_visible()
    assert axe_violations(she) == []
    assert errors == []


def test_a_name_the_server_made_up_is_never_shown(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    link = begin(he, "James", "Elegant", "Midnight blue")

    def forge(route: Route) -> None:
        # The server swaps in a greeting of its own making: without the link's key, it cannot
        # seal one that opens, so the page names nobody rather than a stranger.
        answer = route.fetch()
        body = answer.json()
        body["greeting"] = "AQ" + "A" * 120
        body["name"] = "Mallory"
        route.fulfill(response=answer, body=json.dumps(body))

    she.route(re.compile(r"/v1/invites/[\w-]{22}$"), forge)
    she.goto(link)
    expect(she.get_by_role("heading", name="You’re invited to share a notebook")).to_be_visible()
    expect(she.get_by_text("Mallory")).to_have_count(0)
    expect(she.get_by_text("James")).to_have_count(0)
    expect(she.get_by_label("Your name")).to_be_visible()
    assert errors == []


def test_a_used_link_is_refused_before_the_form(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    # The refused look is a 410, which Chromium logs: this page's console is not asserted on.
    late = person(browser, PHONE, live_server.url, [])
    link = begin(he, "James", "Elegant", "Midnight blue")
    join(she, link, "Ella", "Delicate script", "Bordeaux")
    expect(he.get_by_role("button", name="Let them in")).to_be_visible()

    late.goto(link)
    expect(late.get_by_role("heading", name="This invite can no longer be used")).to_be_visible()
    expect(late.get_by_text("Someone has already joined with this link.")).to_be_visible()
    expect(late.get_by_label("Your name")).to_have_count(0)
    expect(late.get_by_role("button", name="Join the notebook")).to_have_count(0)
    assert late.evaluate("sessionStorage.length") == 0
    assert axe_violations(late) == []
    assert errors == []


def test_a_changed_link_is_refused_before_the_form(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, [])
    link = begin(he, "James", "Elegant", "Midnight blue")
    # One letter of the secret changed: still 32 bytes, no longer the invite's.
    head, secret = link.split("#", 1)
    changed = secret[:5] + ("B" if secret[5] != "B" else "C") + secret[6:]
    she.goto(f"{head}#{changed}")
    expect(she.get_by_role("heading", name="This link doesn’t open an invite")).to_be_visible()
    expect(she.get_by_label("Your name")).to_have_count(0)
    # The true link still works afterwards: looking used nothing up.
    she.goto(link)
    expect(she.get_by_role("heading", name="James invites you to share a notebook")).to_be_visible()
    assert errors == []
