"""Never lose a word: drafts sealed on the device survive a reload and a closed tab, and entries
written with no server wait in a sealed outbox, then reach the partner once and in order."""

import json
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from .accessibility import axe_in_both_schemes
from .helpers import PHONE, both_widths, couple, sheet, write

pytestmark = pytest.mark.browser

# The raw records of the drafts and outbox stores, byte arrays as lists, as IndexedDB holds them.
RAW_RECORDS = """async () => {
  const db = await new Promise((ok, no) => {
    const req = indexedDB.open("unspoken");
    req.onsuccess = () => ok(req.result);
    req.onerror = () => no(req.error);
  });
  const out = {};
  for (const name of ["drafts", "outbox"]) {
    const rows = await new Promise((ok) => {
      const req = db.transaction(name).objectStore(name).getAll();
      req.onsuccess = () => ok(req.result);
    });
    out[name] = rows.map((row) => Object.fromEntries(Object.entries(row).map(
      ([k, v]) => [k, v instanceof Uint8Array ? Array.from(v) : v])));
  }
  db.close();
  return out;
}"""


def _raw(page: Page) -> dict[str, list[dict[str, object]]]:
    records: dict[str, list[dict[str, object]]] = page.evaluate(RAW_RECORDS)
    return records


def _until_outbox_empty(page: Page, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while _raw(page)["outbox"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert _raw(page)["outbox"] == []


def _holds_plaintext(records: list[dict[str, object]], text: str) -> bool:
    """Whether the words appear anywhere in the records: their fields, or any byte array."""
    needle = text.encode()
    for record in records:
        if text in json.dumps(record, ensure_ascii=False):
            return True
        for value in record.values():
            if isinstance(value, list) and needle in bytes(value):
                return True
    return False


def _shown(page: Page, name: str) -> None:
    """A state of the composer that docs/screens/ shows: checked with axe-core in both schemes,
    then photographed (when asked to)."""
    found = axe_in_both_schemes(page)
    assert found == [], "\n".join(found)
    both_widths(page, name)


def _real(errors: list[str]) -> list[str]:
    """Errors other than Chromium's own line for a request that could not be made."""
    return [e for e in errors if "Failed to load resource" not in e and "ERR_" not in e]


def test_a_draft_is_sealed_on_the_device_and_comes_back(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    words = "I was afraid to say it out loud"
    ella.get_by_label("Your turn").press_sequentially(words, delay=15)
    expect(ella.locator(".composer__status")).to_have_text("Saved on this device")
    drafts = _raw(ella)["drafts"]
    assert len(drafts) == 1 and drafts[0]["sealed"], drafts
    assert not _holds_plaintext(drafts, words)
    assert not _holds_plaintext(drafts, "afraid")

    ella.reload()
    expect(ella.get_by_label("Your turn")).to_have_value(words)
    expect(ella.locator(".composer__status")).to_have_text("Saved on this device")
    _shown(ella, "40-draft-kept")

    # A closed tab: the next one, on the same device, finds the draft as it was left.
    context = ella.context
    ella.close()
    ella = context.new_page()
    ella.goto("/")
    draft = ella.get_by_label("Your turn")
    expect(draft).to_have_value(words)
    draft.press_sequentially(", so I wrote it", delay=15)
    ella.get_by_role("button", name="Write it down").click()
    expect(james.locator(".entry__text")).to_have_text([words + ", so I wrote it"])
    expect(ella.locator(".composer__status")).to_have_text("Sent")
    expect(draft).to_have_value("")
    assert _raw(ella) == {"drafts": [], "outbox": []}
    ella.reload()
    expect(ella.get_by_label("Your turn")).to_have_value("")
    assert _real(errors) == []


def test_entries_wait_for_a_server_that_is_down(
    browser: Browser, live_server, live_server_factory
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Before the storm")
    port = urlparse(live_server.url).port
    live_server.stop()

    draft = ella.get_by_label("Your turn")
    for text in ["I’m still here", "And I’m not leaving"]:
        draft.fill(text)
        ella.get_by_role("button", name="Write it down").click()
        expect(draft).to_have_value("")
    expect(ella.locator(".composer__status")).to_have_text(
        "Waiting to send — the notebook can’t be reached; your words are kept on this device"
    )
    expect(ella.locator(".outbox__text")).to_have_text(["I’m still here", "And I’m not leaving"])
    outbox = _raw(ella)["outbox"]
    assert len(outbox) == 2
    assert not _holds_plaintext(outbox, "still here")
    _shown(ella, "41-waiting-to-send")

    live_server_factory(database=live_server.database, port=port, log_name="again.log")
    expected = ["Before the storm", "I’m still here", "And I’m not leaving"]
    expect(james.locator(".entry__text")).to_have_text(expected, timeout=40_000)
    expect(ella.locator(".composer__status")).to_have_text("Sent", timeout=20_000)
    expect(ella.locator(".outbox__item")).to_have_count(0)
    expect(ella.locator(".entry__text")).to_have_text(expected)
    # Once each: the stored notebook, read afresh, holds each entry exactly once, in order.
    james.reload()
    expect(james.locator(".entry__text")).to_have_text(expected)
    assert _raw(ella)["outbox"] == []
    assert _real(errors) == []


def test_entries_written_offline_wait_even_when_the_tab_is_closed(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    context = ella.context
    context.set_offline(True)
    draft = ella.get_by_label("Your turn")
    for text in ["Written on the train", "Still no signal"]:
        draft.fill(text)
        ella.get_by_role("button", name="Write it down").click()
        expect(draft).to_have_value("")
    expect(ella.locator(".composer__status")).to_have_text(
        "Waiting to send — you’re offline; your words are kept on this device"
    )
    _shown(ella, "42-offline")
    assert len(_raw(ella)["outbox"]) == 2
    expect(james.locator(".entry__text")).to_have_count(0)

    # The tab closes before the signal returns; the next visit sends what waited, in order.
    ella.close()
    context.set_offline(False)
    ella = context.new_page()
    ella.goto("/")
    expected = ["Written on the train", "Still no signal"]
    expect(james.locator(".entry__text")).to_have_text(expected, timeout=20_000)
    expect(ella.locator(".entry__text")).to_have_text(expected)
    james.reload()
    expect(james.locator(".entry__text")).to_have_text(expected)
    assert _real(errors) == []


def test_a_lost_answer_is_retried_and_stored_once(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    lost: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server stores the entry…
        lost.append(route.request.post_data or "")
        route.abort()  # …but its answer never arrives

    ella.route("**/entries", lose_the_first_answer)
    ella.get_by_label("Your turn").fill("Only once, please")
    ella.get_by_role("button", name="Write it down").click()
    expect(james.locator(".entry__text")).to_have_text(["Only once, please"])
    expect(ella.locator(".composer__status")).to_have_text("Sent", timeout=20_000)
    assert len(lost) == 1
    james.reload()
    expect(james.locator(".entry__text")).to_have_text(["Only once, please"])
    assert _real(errors) == []


def test_words_the_server_refuses_come_back_to_the_draft(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    ella.context.set_offline(True)
    words = "Written this morning, before your message"
    ella.get_by_label("Your turn").fill(words)
    ella.get_by_role("button", name="Write it down").click()
    expect(ella.locator(".outbox__text")).to_have_text([words])

    # Meanwhile James asks for time: while it lasts, nothing Ella sends may be added.
    dialog = sheet(james, "I need time")
    dialog.get_by_role("radio", name="20 minutes").check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(dialog).to_be_hidden()

    ella.context.set_offline(False)
    draft = ella.locator("#draft")
    expect(draft).to_have_value(words, timeout=20_000)
    expect(ella.locator(".outbox__item")).to_have_count(0)
    expect(ella.locator(".composer__status")).to_have_text(
        "Not sent — your words are back in the draft"
    )
    paused = "Your draft — kept here until the pause is over"
    expect(ella.get_by_text(paused)).to_be_visible()
    _shown(ella, "43-not-sent")
    expect(james.locator(".entry__text")).to_have_count(0)
    # Kept on the device as a draft, so a reload finds it too.
    ella.reload()
    expect(ella.locator("#draft")).to_have_value(words)
    assert _real(errors) == []


def test_words_deleted_just_before_a_reload_stay_deleted(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    draft = ella.get_by_label("Your turn")
    draft.press_sequentially("Something I regret saying", delay=15)
    expect(ella.locator(".composer__status")).to_have_text("Saved on this device")
    ella.wait_for_timeout(2000)
    draft.press("Control+A")
    draft.press("Delete")
    expect(draft).to_have_value("")
    ella.wait_for_timeout(150)
    ella.reload()
    expect(ella.locator(".pages__blank")).to_be_visible()
    # The composer has had its chance to bring a kept draft back: there is none.
    ella.wait_for_timeout(500)
    expect(ella.get_by_label("Your turn")).to_have_value("")
    assert _raw(ella)["drafts"] == []
    assert _real(errors) == []


def test_words_typed_just_before_a_reload_are_kept(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    draft = ella.get_by_label("Your turn")
    draft.press_sequentially("First words", delay=15)
    expect(ella.locator(".composer__status")).to_have_text("Saved on this device")
    # A few more words, then the tab reloads in the breath before a pause would have kept them;
    # spaces and line breaks are the writer's too.
    draft.press_sequentially(", then more  ", delay=15)
    draft.press("Enter")
    ella.wait_for_timeout(150)
    ella.reload()
    expect(ella.get_by_label("Your turn")).to_have_value("First words, then more  \n")
    assert _real(errors) == []


def test_passing_the_pen_offline_waits_in_order_behind_the_words(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    ella.context.set_offline(True)
    draft = ella.get_by_label("Your turn")
    draft.fill("Written on the train")
    ella.get_by_role("button", name="Write it down").click()
    expect(draft).to_have_value("")
    ella.get_by_role("button", name="Pass the notebook to James").click()
    # No error: the pen waits, after the words, as writing does.
    expect(ella.locator(".outbox__text")).to_have_text(
        ["Written on the train", "The notebook passes to James once it can be sent"]
    )
    expect(ella.locator(".composer .error")).to_be_hidden()
    expect(ella.locator(".composer__status")).to_have_text(
        "Waiting to send — you’re offline; your words are kept on this device"
    )
    expect(james.get_by_text("Ella has the pen")).to_be_visible()

    ella.context.set_offline(False)
    expect(james.locator(".entry__text")).to_have_text(["Written on the train"], timeout=20_000)
    expect(james.get_by_label("Your turn")).to_be_visible()
    expect(ella.get_by_text("James has the pen")).to_be_visible()
    expect(ella.locator(".outbox__item")).to_have_count(0)
    # The page shows the pen passed as soon as the stream says so; the outbox lets go of the
    # pass a moment later, once it has caught up with the log.
    _until_outbox_empty(ella)
    assert _real(errors) == []
