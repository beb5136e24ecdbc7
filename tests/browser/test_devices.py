"""A second device for one partner in real Chromium: linked from the first, writes, is revoked;
the partner is told both times; and a server that swaps the new device's key is caught."""

import base64
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from .helpers import LAPTOP, PHONE, couple, person, write

pytestmark = pytest.mark.browser

LINK = re.compile(r"/device/[\w-]{22}/[\w-]{22}#[\w-]{43}$")
LINK_STATE = re.compile(r"/v1/notebooks/[\w-]+/links/[\w-]+$")
SHOTS = os.environ.get("UNSPOKEN_DEVICE_SHOTS")  # a folder for throwaway screenshots


def _shot(page: Page, name: str) -> None:
    """Throwaway screenshots at phone and laptop widths, when a folder is named."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(Path(SHOTS) / f"{width}-{name}.png"))
    if size:
        page.set_viewport_size(size)


SIGNED_FROM = """async () => {
  const {latestNotebook} = await import('/static/js/store.js');
  return (await latestNotebook())?.signedFrom ?? null;
}"""


def _devices_sheet(page: Page):  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Your devices", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def _phrase(page: Page) -> str:
    details = page.locator(".phrase-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return " ".join(details.locator(".phrase__word").all_inner_texts())


def _start_link(ella: Page) -> str:
    dialog = _devices_sheet(ella)
    dialog.get_by_role("button", name="Add a device").click()
    field = dialog.get_by_label("Link for your new device")
    expect(field).to_have_value(LINK)
    expect(dialog.locator(".qr__code")).to_be_visible()
    return field.input_value()


def test_a_second_device_writes_is_revoked_and_the_partner_is_told(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    before = _phrase(james)
    link = _start_link(ella)
    _shot(ella, "devices-link")

    # The revoked phone is refused by the server at the end, and Chromium logs that, rightly.
    phone = person(browser, LAPTOP, live_server.url, [])
    phone.goto(link)
    expect(phone).not_to_have_url(re.compile("#"))  # the secret left the address bar at once
    phone.get_by_role("button", name="Add this device").click()
    expect(phone.get_by_text("Waiting for your other device")).to_be_visible()
    _shot(phone, "devices-new-device-waiting")
    dialog = ella.get_by_role("dialog")
    dialog.get_by_role("button", name="Let it in").click()
    expect(dialog.get_by_text("The new device is in. It reads every page")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()

    expect(phone.locator(".entry__text")).to_have_text(["I never meant for things to end this way"])
    # Where signing began comes in the sealed package: the laptop refuses an unsigned act from
    # the same point as the phone that let it in, not from the head it first saw.
    assert isinstance(ella.evaluate(SIGNED_FROM), int)
    assert phone.evaluate(SIGNED_FROM) == ella.evaluate(SIGNED_FROM)
    write(phone, "From my laptop, in the same hand")
    expect(james.locator(".entry__text").last).to_have_text("From my laptop, in the same hand")
    expect(james.locator(".note--device-added")).to_contain_text("Ella added a device.")
    expect(james.locator(".phrase-details")).to_be_attached()
    after = _phrase(james)
    assert after != before
    assert _phrase(ella) == after == _phrase(phone)
    _shot(james, "devices-added-note")

    dialog = _devices_sheet(ella)
    other = dialog.locator(".devices__item").filter(has_text="Another of your devices")
    other.get_by_role("button", name="Revoke").click()
    dialog.get_by_role("button", name="Revoke it").click()
    expect(dialog.get_by_text("Revoked. New pages are sealed with new keys.")).to_be_visible()
    _shot(ella, "devices-revoked")
    dialog.get_by_role("button", name="Close").click()

    closed = phone.get_by_role("heading", name="This notebook is closed to this device")
    expect(closed).to_be_visible()
    expect(james.locator(".note--device-revoked")).to_contain_text(
        "Ella revoked a device. New keys from here on"
    )
    write(ella, "After the laptop was lost")
    expect(james.locator(".entry__text").last).to_have_text("After the laptop was lost")
    expect(james.locator(".entry--unverified")).to_have_count(0)
    assert _phrase(james) == before == _phrase(ella)
    assert errors == []


def test_a_key_swapped_by_the_server_during_linking_is_refused(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    forged = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()

    def swap(route: Route) -> None:
        try:
            response = route.fetch()
        except PlaywrightError:
            route.abort()
            return
        body = response.json()
        if body.get("device"):
            body["device"]["key"] = forged  # the server's own key, as if the new device's
        route.fulfill(response=response, body=json.dumps(body))

    ella.route(LINK_STATE, swap)
    link = _start_link(ella)
    phone = person(browser, PHONE, live_server.url, [])
    phone.goto(link)
    phone.get_by_role("button", name="Add this device").click()
    dialog = ella.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("its keys are not the ones the link made")
    expect(dialog.get_by_role("button", name="Let it in")).to_have_count(0)
    expect(phone.get_by_role("alert")).to_contain_text("did not let this one in")
    assert errors == []
