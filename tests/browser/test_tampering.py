"""A server that lies is noticed: the browser refuses a swapped key and flags altered pages."""

import base64
import json
import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from .helpers import PHONE, begin, join, person, write

pytestmark = pytest.mark.browser

NOTEBOOK = re.compile(r"/v1/notebooks/[\w-]+$")
RECORDS = re.compile(r"/v1/notebooks/[\w-]+/records")


def _flip(text: str) -> str:
    """Alter one byte of a b64 value, keeping it valid b64."""
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    raw[len(raw) // 2] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def _rewrite(page: Page, pattern: re.Pattern[str], change) -> None:
    """Answer matching requests with the server's JSON, changed by `change`."""

    def handle(route: Route) -> None:
        try:
            response = route.fetch()
            answer = response.json()
        except PlaywrightError:
            # The test is over: the server stopped, or the page closed, while a page was
            # still asking. Nothing is checked after this, so the request just ends.
            try:
                route.abort()
            except PlaywrightError:
                pass
            return
        route.fulfill(response=response, body=json.dumps(change(answer)))

    page.route(pattern, handle)


def _paired(browser: Browser, url: str, errors: list[str]) -> tuple[Page, Page]:
    he, she = person(browser, PHONE, url, errors), person(browser, PHONE, url, errors)
    join(she, begin(he, "James", "Elegant", "Midnight blue"), "Ella", "Delicate script", "Sepia")
    he.get_by_role("button", name="Let them in").click()
    expect(she.get_by_text("James has the pen")).to_be_visible()
    return he, she


def test_a_key_the_link_did_not_make_is_refused(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he = person(browser, PHONE, live_server.url, errors)
    she = person(browser, PHONE, live_server.url, errors)
    link = begin(he, "James", "Elegant", "Midnight blue")

    def swap_key_mac(notebook: dict) -> dict:
        for member in notebook["members"]:
            if member["key_mac"]:
                member["key_mac"] = _flip(member["key_mac"])
        return notebook

    _rewrite(he, NOTEBOOK, swap_key_mac)
    join(she, link, "Ella", "Delicate script", "Sepia")
    expect(he.get_by_role("heading", name=re.compile("we can’t trust them"))).to_be_visible()
    expect(he.get_by_role("button", name="Let them in")).to_have_count(0)
    expect(he.get_by_role("button", name="Turn them away")).to_be_visible()
    assert errors == []


def test_an_altered_page_is_flagged_not_shown(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he, she = _paired(browser, live_server.url, errors)
    write(he, "I never meant for things to end this way")
    write(he, "Nor did I")
    expect(she.locator(".entry__text")).to_have_count(2)

    def alter_first_entry(page: dict) -> dict:
        entry = next(r for r in page["records"] if r["kind"] == "entry")
        entry["ct"] = _flip(entry["ct"])
        return page

    _rewrite(she, RECORDS, alter_first_entry)
    she.reload()
    expect(she.locator(".entry--unverified")).to_have_count(1)
    expect(she.locator(".warning")).to_be_visible()
    expect(she.locator(".entry__text")).to_have_text(["Nor did I"])
    assert errors == []


def test_a_dropped_page_is_noticed(browser: Browser, live_server) -> None:
    errors: list[str] = []
    he, she = _paired(browser, live_server.url, errors)
    for line in ("first", "second", "third"):
        write(he, line)
    expect(she.locator(".entry__text")).to_have_count(3)

    def drop_second_entry(page: dict) -> dict:
        second = [r for r in page["records"] if r["kind"] == "entry"][1]
        page["records"].remove(second)
        return page

    _rewrite(she, RECORDS, drop_second_entry)
    she.reload()
    expect(she.locator(".warning")).to_be_visible()
    unverified = she.locator(".entry--unverified")
    expect(unverified).to_have_count(1)
    expect(unverified).to_contain_text("out of place in the chain")
    expect(she.locator(".entry__text")).to_have_text(["first"])
    assert errors == []


def test_an_act_changed_by_the_server_is_not_shown_as_the_partners(
    browser: Browser, live_server
) -> None:
    """Ella knocks for the pen; the server shows James her knock changed (another chapter than
    she signed). His page says the server shows something her device did not sign, and no
    knock waits for him."""
    errors: list[str] = []
    he, she = _paired(browser, live_server.url, errors)
    she.get_by_role("button", name="Ask for the pen").click()
    expect(he.locator(".note--pen-asked .note__line")).to_have_text("Ella asked for the pen.")

    def move_the_knock(page: dict) -> dict:
        for record in page["records"]:
            if record["kind"] == "pen.asked":
                record["chapter"] = 7
        return page

    _rewrite(he, RECORDS, move_the_knock)
    he.reload()
    expect(he.locator(".warning")).to_be_visible()
    refused = he.locator(".note--refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("did not sign")
    expect(he.locator(".note--pen-asked")).to_have_count(0)
    expect(he.get_by_role("status", name="A knock")).to_have_count(0)
    assert errors == []


def test_a_crossing_out_moved_by_the_server_strikes_nothing_through(
    browser: Browser, live_server
) -> None:
    """James crosses out his first line; the server shows Ella the crossing-out moved to his
    second. His device signed the first: her page strikes neither through, and says so."""
    errors: list[str] = []
    he, she = _paired(browser, live_server.url, errors)
    write(he, "I was unfair to you")
    write(he, "I am sorry")
    he.locator("article.entry").first.get_by_role("button", name="Cross out").click()
    he.get_by_role("dialog").get_by_role("button", name="Cross it out").click()
    expect(she.locator("article.entry--crossed .entry__text")).to_have_text(["I was unfair to you"])

    def move_the_crossing(page: dict) -> dict:
        lines = [r["id"] for r in page["records"] if r["kind"] == "entry"]
        for record in page["records"]:
            if record["kind"] == "entry.crossed":
                record["entry"] = lines[-1]
        return page

    _rewrite(she, RECORDS, move_the_crossing)
    she.reload()
    expect(she.locator(".entry__text")).to_have_text(["I was unfair to you", "I am sorry"])
    expect(she.locator(".note--refused")).to_have_count(1)
    expect(she.locator(".warning")).to_be_visible()
    expect(she.locator(".entry--crossed")).to_have_count(0)
    assert errors == []
