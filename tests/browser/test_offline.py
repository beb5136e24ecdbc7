"""With the service worker, a reload while offline (or while the server is down) opens the
notebook from what this device kept: the pages, the sealed draft and the outbox. What was
written meanwhile reaches the partner once, in order, when the server can be reached again."""

import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, screenshot, until_controlled, write

pytestmark = pytest.mark.browser


# Whether the draft store holds a sealed draft (drafts.js seals it as it is typed).
DRAFT_SEALED = """async () => {
  const done = (r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); });
  const db = await done(indexedDB.open("unspoken"));
  const n = await done(db.transaction("drafts").objectStore("drafts").count());
  db.close();
  return n === 1;
}"""


def _real(errors: list[str]) -> list[str]:
    """Errors other than Chromium's own lines for requests that could not be made."""
    return [e for e in errors if "Failed to load resource" not in e and "ERR_" not in e]


def _wait_until_sealed(page: Page, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(DRAFT_SEALED):
        assert time.monotonic() < deadline, "the draft was never sealed on the device"
        time.sleep(0.1)


def _write_offline(ella: Page, text: str) -> None:
    draft = ella.get_by_label("Your turn")
    draft.fill(text)
    ella.get_by_role("button", name="Write it down").click()
    expect(draft).to_have_value("")


@pytest.mark.parametrize("away", ["offline", "server down"])
def test_a_reload_away_from_the_server_opens_the_notebook_and_sends_once(
    browser: Browser, live_server, live_server_factory, away: str
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Before the train")
    until_controlled(ella)
    port = urlparse(live_server.url).port
    if away == "offline":
        ella.context.set_offline(True)
    else:
        live_server.stop()

    ella.reload()
    expect(ella.locator(".entry__text")).to_have_text(["Before the train"])
    _write_offline(ella, "Written with no signal")
    expect(ella.locator(".outbox__text")).to_have_text(["Written with no signal"])
    ella.get_by_label("Your turn").press_sequentially("half a thought", delay=15)
    _wait_until_sealed(ella)

    # Again, still away: the pages, the outbox and the sealed draft all come back.
    ella.reload()
    expect(ella.locator(".entry__text")).to_have_text(["Before the train"])
    expect(ella.locator(".outbox__text")).to_have_text(["Written with no signal"])
    expect(ella.get_by_label("Your turn")).to_have_value("half a thought")
    screenshot(ella, "phone-26-offline-reload")

    if away == "offline":
        ella.context.set_offline(False)
    else:
        live_server_factory(database=live_server.database, port=port, log_name="again.log")
    expected = ["Before the train", "Written with no signal"]
    expect(james.locator(".entry__text")).to_have_text(expected, timeout=40_000)
    expect(ella.locator(".outbox__item")).to_have_count(0, timeout=20_000)
    expect(ella.locator(".entry__text")).to_have_text(expected)
    expect(ella.get_by_label("Your turn")).to_have_value("half a thought")
    james.reload()  # once each: the stored notebook, read afresh
    expect(james.locator(".entry__text")).to_have_text(expected)
    assert _real(errors) == []


def test_a_device_that_never_loaded_the_app_still_needs_the_network(
    browser: Browser, live_server
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto("/")
    context.close()
