"""Pairing choices in the browser: turning a joiner away, and inviting again."""

import pytest
from playwright.sync_api import Browser, expect

from .helpers import PHONE, begin, join, person

pytestmark = pytest.mark.browser


def test_a_declined_joiner_is_told_and_a_new_link_lets_the_partner_in(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    # Once turned away, the stranger's device is answered 404: Chromium logs that, rightly.
    stranger = person(browser, PHONE, live_server.url, [])
    she = person(browser, PHONE, live_server.url, errors)

    link = begin(he, "James", "Elegant", "Midnight blue")
    join(stranger, link, "Mallory", "Typewriter", "Iron gall")
    expect(he.get_by_role("heading", name="Mallory opened your link")).to_be_visible()
    he.get_by_role("button", name="This isn’t them").click()
    expect(stranger.get_by_role("heading", name="This invite was closed")).to_be_visible()

    he.get_by_role("button", name="Make a new link").click()
    link = he.get_by_label("Invite link").input_value()
    join(she, link, "Ella", "Delicate script", "Bordeaux")
    he.get_by_role("button", name="Let them in").click()
    expect(he.get_by_role("heading", name="James & Ella")).to_be_visible()
    expect(she.get_by_text("James has the pen")).to_be_visible()
    assert errors == []
