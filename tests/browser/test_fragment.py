"""The invite secret lives only in the link's fragment: it never leaves the joiner's browser."""

import re

import pytest
from playwright.sync_api import Browser, Request, expect

from .helpers import PHONE, begin, join, person

pytestmark = pytest.mark.browser


def test_the_fragment_never_reaches_the_network(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    sent: list[str] = []

    def record(request: Request) -> None:
        sent.append(request.url)
        sent.extend(f"{name}: {value}" for name, value in request.all_headers().items())
        sent.append(request.post_data or "")

    she.on("request", record)
    link = begin(he, "James", "Elegant", "Midnight blue")
    secret = link.split("#", 1)[1]
    join(she, link, "Ella", "Delicate script", "Sepia")
    he.get_by_role("button", name="Let them in").click()
    expect(she.get_by_text("James has the pen")).to_be_visible()

    assert she.evaluate("location.hash") == ""
    assert re.search(r"/join/[\w-]{22}$", she.evaluate("location.href")) or "/n/" in she.url
    assert len(sent) > 5  # the join really talked to the server
    assert not [line for line in sent if secret in line]
    assert not [line for line in sent if line.lower().startswith("referer:") and "#" in line]
    assert secret not in live_server.log()
    assert errors == []


def test_a_reload_before_joining_keeps_the_invite_and_the_name(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    link = begin(he, "James", "Elegant", "Midnight blue")
    she.goto(link)
    she.get_by_label("Your name").fill("Ella")
    she.reload()
    expect(she.get_by_role("heading", name="James invites you to share a notebook")).to_be_visible()
    expect(she.get_by_label("Your name")).to_have_value("Ella")
    assert she.evaluate("location.hash") == ""
    she.get_by_role("radio", name="Delicate script").check()
    she.get_by_role("button", name="Join the notebook").click()
    he.get_by_role("button", name="Let them in").click()
    expect(she.get_by_text("James has the pen")).to_be_visible()
    # Joined: nothing of the invite is kept in the tab any longer.
    assert she.evaluate("sessionStorage.length") == 0
    assert errors == []


def test_a_damaged_fragment_is_called_damaged_not_missing(browser: Browser, live_server) -> None:
    errors: list[str] = []
    she = person(browser, PHONE, live_server.url, errors)
    she.goto("/join/AAAAAAAAAAAAAAAAAAAAAA#not-a-secret!")
    expect(she.get_by_role("heading", name="This link is damaged")).to_be_visible()
    she.goto("/join/AAAAAAAAAAAAAAAAAAAAAA")
    expect(she.get_by_role("heading", name="This link is missing its secret part")).to_be_visible()
    assert errors == []
