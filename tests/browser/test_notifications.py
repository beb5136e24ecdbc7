"""The notifications sheet saves this device's choices on the server, and the service worker
words a pushed notice in the device's language, with the partner's name kept on the device.

Headless Chromium reaches no push service, so a real subscription cannot be made here: the
sheet says so, and the choices are still saved. The notice is handed to the worker through the
DevTools protocol (ServiceWorker.deliverPushMessage), as a push service would hand it over.
"""

import json
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, both_widths, couple, sheet, until_controlled

pytestmark = pytest.mark.browser

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return (await registration.getNotifications()).map((n) => ({title: n.title, body: n.body,
    tag: n.tag, data: n.data}));
}"""


def _notebook_id(page: Page) -> str:
    return page.url.rsplit("/", 1)[1]


def _deliver(page: Page, origin: str, notice: dict[str, str]) -> None:
    """Hand a push message to the page's service worker, as the browser's push service would."""
    cdp = page.context.new_cdp_session(page)
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(
            r["registrationId"]
            for r in event["registrations"]
            if r["scopeURL"] == origin + "/" and not r["isDeleted"]
        ),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert found, "no service worker registration for this origin"
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": found[0], "data": json.dumps(notice)},
    )
    cdp.detach()


def _shown(page: Page, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        shown: list[dict[str, Any]] = page.evaluate(NOTIFICATIONS)
        if len(shown) >= count:
            return shown
        page.wait_for_timeout(100)
    return page.evaluate(NOTIFICATIONS)  # type: ignore[no-any-return]


def test_the_sheet_saves_choices_and_says_what_it_could_not_do(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    james.context.grant_permissions(["notifications"], origin=live_server.url)
    dialog = sheet(james, "Notifications")
    expect(dialog.get_by_text("never a word of what was written")).to_be_visible()
    for kind in (
        "There is something new in the notebook",
        "The pen is mine",
        "Ella is ready to talk",
        "A pause has ended",
    ):
        expect(dialog.get_by_label(kind)).to_be_checked()
    dialog.get_by_label("Notify me on this device").check()
    dialog.get_by_label("There is something new in the notebook").uncheck()
    dialog.get_by_label("Keep quiet at night").check()
    expect(dialog.get_by_text("(Europe/London)")).to_be_visible()
    dialog.get_by_label("From", exact=True).fill("21:30")
    dialog.get_by_label("Until", exact=True).fill("06:45")
    both_widths(james, "27-notifications", full_page=False)
    dialog.get_by_role("button", name="Save").click()
    # No push service is reachable from here: the browser cannot subscribe, and says so.
    expect(dialog.locator(".error")).to_have_text(
        "Your choices are saved, but this browser could not subscribe to notifications right now.",
        timeout=20_000,
    )
    expect(dialog.get_by_label("Notify me on this device")).not_to_be_checked()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # The device's token rests in its sealed vault (docs/protocol.md, "A device at rest").
    answer = james.evaluate(
        """async (nb) => {
      const record = await (await import('/static/js/store.js')).loadNotebook(nb);
      const { token } = await (await import('/static/js/vault.js')).unlock(record);
      const response = await fetch(`/v1/notebooks/${nb}/push`,
                                   {headers: {Authorization: `Bearer ${token}`}});
      return response.json();
    }""",
        _notebook_id(james),
    )
    assert answer == {
        "subscribed": False,
        "notices": ["pen", "ready", "pause-ended"],
        "quiet": {"start": "21:30", "end": "06:45", "zone": "Europe/London"},
    }

    again = sheet(james, "Notifications")  # what the sheet shows comes back from the server
    expect(again.get_by_label("There is something new in the notebook")).not_to_be_checked()
    expect(again.get_by_label("The pen is mine")).to_be_checked()
    expect(again.get_by_label("From", exact=True)).to_have_value("21:30")
    expect(again.get_by_label("Until", exact=True)).to_have_value("06:45")
    # Chromium refuses the Push API in its private (Playwright) profiles, and says so itself.
    assert [e for e in errors if "Push API" not in e] == []


def test_the_worker_words_a_notice_in_the_devices_language(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    james.context.grant_permissions(["notifications"], origin=live_server.url)
    until_controlled(james)
    notebook = _notebook_id(james)
    dialog = sheet(james, "Notifications")
    dialog.get_by_role("button", name="Save").click()  # keeps Ella's name for the worker
    expect(dialog.locator(".notify__saved")).to_have_text("Saved.", timeout=20_000)
    # The notebook in front of him is not interrupted: a notice is shown only when it is not.
    james.goto("/healthz")
    _deliver(james, live_server.url, {"kind": "pen", "notebook": notebook})
    shown = _shown(james, 1)
    assert [(n["title"], n["body"]) for n in shown] == [("Unspoken", "Ella passed you the pen.")]
    assert shown[0]["tag"] == f"unspoken-{notebook}" and shown[0]["data"] == {"notebook": notebook}

    # The same device in French: the worker reads the language the page last started with.
    james.goto(f"/n/{notebook}")
    james.evaluate("localStorage.setItem('unspoken.language', 'fr')")
    james.reload()
    until_controlled(james)
    james.wait_for_timeout(300)
    james.goto("/healthz")
    _deliver(james, live_server.url, {"kind": "ready", "notebook": notebook})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _shown(james, 1)[0]["body"] == shown[0]["body"]:
        james.wait_for_timeout(100)
    assert [n["body"] for n in _shown(james, 1)] == ["Ella peut parler maintenant."]

    # A message that is not one of ours shows nothing new.
    _deliver(james, live_server.url, {"kind": "words", "text": "anything"})
    james.wait_for_timeout(500)
    assert [n["body"] for n in _shown(james, 1)] == ["Ella peut parler maintenant."]
    # /healthz has no favicon: its 404 is the only line, besides the Push API's own.
    assert [e for e in errors if "Push API" not in e and "Failed to load" not in e] == []
