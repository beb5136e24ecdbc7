"""The browser half of the hostile-server suite for acts (tests/hostile/test_acts.py is the
SDK's): a server that rewrites its JSON answers and its live stream, with Playwright's request
interception, cannot make James's page show an act Ella's device did not sign. Each attack
ends in the notebook's plain-language warning ("Something in this notebook did not verify…")
and a note saying the server shows something her device did not sign, or a promise's card
saying it does not verify — never the forged act shown as hers.

Ella is the Python SDK (her acts are made exactly as her device signs them); James is Chromium.
"""

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from unspoken.client import Notebook

from .helpers import PHONE, join, person, sheet, skip_intro, tab
from .test_revoked_keys import Loop, _rewrite

pytestmark = pytest.mark.browser

NOTEBOOK = re.compile(r"/v1/notebooks/[\w-]+$")
RECORDS = re.compile(r"/v1/notebooks/[\w-]+/records")
EVENTS = re.compile(r"/v1/notebooks/[\w-]+/events")
PROMISES = re.compile(r"/v1/notebooks/[\w-]+/promises$")
REFUSED = "The server shows something here that your partner’s device did not sign."

SIGNED_FROM = """async () => {
  const {latestNotebook} = await import('/static/js/store.js');
  return (await latestNotebook())?.signedFrom ?? null;
}"""


class Sdk(Loop):
    """The SDK's loop, closing the notebooks opened on it when the test ends, passed or not."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Notebook] = []


@pytest.fixture
def sdk() -> Iterator[Sdk]:
    loop = Sdk()
    yield loop
    for notebook in loop.opened:
        loop.run(notebook.close())
    loop.stop()


async def _let_in(ella: Notebook) -> None:
    """Approve James once his browser has claimed the link and sent its profile."""
    for _ in range(100):
        try:
            await ella.approve_partner()
            return
        except RuntimeError:
            await asyncio.sleep(0.1)
    raise AssertionError("James never asked to be let in")


def _paired(
    browser: Browser, url: str, sdk: Sdk, errors: list[str], before: Any = None
) -> tuple[Notebook, Page]:
    """Ella (the SDK) begins the notebook; James joins it in Chromium. `before(page)` installs
    what the server does to James's page from his first request on."""
    ella: Notebook = sdk.run(Notebook.create(url, name="Ella"))
    sdk.opened.append(ella)
    james = person(browser, PHONE, url, errors)
    if before:
        before(james)
    join(james, ella.invite_link, "James", "Elegant", "Midnight blue")
    sdk.run(_let_in(ella))
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    skip_intro(james)
    return ella, james


def _without_signature(kind: str):  # type: ignore[no-untyped-def]
    """Every `kind` record in a page of records, its `act` (the signature) taken off."""

    def strip(url: str, page: dict[str, Any]) -> dict[str, Any]:
        for record in page["records"]:
            if record["kind"] == kind:
                record.pop("act", None)
        return page

    return strip


def _refused_on(page: Page) -> None:
    """The page says plainly that the server shows what the partner's device did not sign."""
    expect(page.locator(".warning")).to_be_visible()
    refused = page.locator(".note--refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(REFUSED)


def _forged_on_reload(james: Page, ella: Notebook, kind: str, fields: dict[str, Any]) -> None:
    """Reload James's page; the first live stream after it carries a `kind` record "by Ella",
    with no signature of hers, next in the log; later streams are the server's own."""
    at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    forged = {"seq": ella._log.seq + 1, "kind": kind, "at": at, "member": ella.member_id}
    forged |= fields
    sent: list[bool] = []

    def stream(route: Route) -> None:
        if sent:
            route.fallback()
            return
        sent.append(True)
        event = f"id: {forged['seq']}\nevent: {kind}\ndata: {json.dumps(forged)}\n\n"
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=event)

    james.route(EVENTS, stream)
    james.reload()


def _ella_passes(ella: Notebook, james: Page, sdk: Sdk, line: str) -> None:
    sdk.run(ella.write(line))
    sdk.run(ella.pass_pen())
    expect(james.get_by_label("Your turn")).to_be_visible()


def test_a_goodbye_ella_never_said_is_refused_on_the_live_stream(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """The server sends James's live stream "Ella left", with no signature of hers: his page
    warns, and the notebook stays open for both."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.write("I am still here"))
    expect(james.locator(".entry__text")).to_have_text(["I am still here"])
    _forged_on_reload(james, ella, "member.left", {"erase_at": None})
    _refused_on(james)
    expect(james.get_by_text("Ella left the notebook.")).to_have_count(0)
    expect(james.get_by_text("Nothing more can be added to this notebook.")).to_have_count(0)
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    assert errors == []


def test_a_promise_marked_kept_shown_as_broken_is_refused(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """Ella marks James's promise kept; the server shows him the mark as "broken", in the
    records and on the promises page alike. Her device signed "kept": his page warns, and the
    promise's card says it does not verify instead of "Broken"."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill("I will walk with you on Sundays")
    dialog.get_by_role("button", name="Make this promise").click()
    expect(dialog).to_be_hidden()
    sdk.run(ella.sync())
    [promise] = sdk.run(ella.promises())
    sdk.run(ella.acknowledge(promise.id))
    sdk.run(ella.mark_promise(promise.id, "kept"))
    tab(james, "Promises & agreements")
    expect(james.locator("[data-promise] .commitment__state")).to_have_text("Kept")

    def broken_records(url: str, page: dict[str, Any]) -> dict[str, Any]:
        for record in page["records"]:
            if record["kind"] == "promise.marked":
                record["outcome"] = "broken"
        return page

    def broken_listing(url: str, listing: dict[str, Any]) -> dict[str, Any]:
        for listed in listing["promises"]:
            listed["state"] = "broken"
            for record in listed["history"]:
                if record["kind"] == "promise.marked":
                    record["outcome"] = "broken"
        return listing

    _rewrite(james, RECORDS, broken_records)
    _rewrite(james, PROMISES, broken_listing)
    james.reload()
    _refused_on(james)
    tab(james, "Promises & agreements")
    card = james.locator(".commitments .entry--unverified")
    expect(card).to_contain_text("A promise that does not verify")
    expect(james.locator("[data-promise]")).to_have_count(0)
    expect(james.get_by_text("Broken", exact=True)).to_have_count(0)
    assert errors == []


def test_an_act_with_its_signature_stripped_is_refused(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """The server takes the signature off Ella's passing of the pen, to pass it off as protocol
    v1's: James's notebook began under v2, so his page refuses it and the pen stays hers."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    _ella_passes(ella, james, sdk, "Over to you")
    _rewrite(james, RECORDS, _without_signature("pen.passed"))
    james.reload()
    _refused_on(james)
    expect(james.get_by_label("Your turn")).to_have_count(0)
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    assert errors == []


def test_an_act_replayed_later_is_refused(browser: Browser, live_server, sdk: Sdk) -> None:
    """Ella passed James the pen and he passed it back; the server shows her passing
    again after that, to hand him the pen she holds. The same signed act is taken once."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    _ella_passes(ella, james, sdk, "Over to you")
    # Passed back without a word: a draft frame sent after typing could meet the pen gone (409).
    james.get_by_role("button", name="Pass the notebook to Ella").click()
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    _, page = sdk.run(ella._api.call("GET", f"/v1/notebooks/{ella.id}/records?limit=500"))
    passed = next(r for r in page["records"] if r["kind"] == "pen.passed")

    def again(url: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Her first passing, once more, as the next record after the newest."""
        head = answer["head_seq"]
        if not answer["records"] or answer["records"][-1]["seq"] != head:
            return answer
        replayed = passed | {"seq": head + 1}
        return answer | {"records": [*answer["records"], replayed], "head_seq": head + 1}

    _rewrite(james, RECORDS, again)
    james.reload()
    _refused_on(james)
    expect(james.get_by_label("Your turn")).to_have_count(0)
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    assert errors == []


def test_a_withdrawal_left_out_of_the_promises_page_is_refused(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """Ella withdraws a promise; the server lists it to James as still made, the withdrawal
    left out of its history (so that history and state agree), to have him acknowledge
    something she took back. His pages took the withdrawal: the card says the server leaves
    out an act, and offers nothing to acknowledge."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.sync())
    promise = sdk.run(ella.promise("I will call your mother"))
    sdk.run(ella.withdraw(promise.id))
    tab(james, "Promises & agreements")
    expect(james.locator("[data-promise] .commitment__state")).to_have_text("Withdrawn")

    def without_withdrawal(url: str, listing: dict[str, Any]) -> dict[str, Any]:
        for listed in listing["promises"]:
            listed["state"] = "made"
            listed["history"] = [r for r in listed["history"] if r["kind"] != "promise.withdrawn"]
        return listing

    _rewrite(james, PROMISES, without_withdrawal)
    james.reload()
    tab(james, "Promises & agreements")
    card = james.locator(".commitments .entry--unverified")
    expect(card).to_contain_text("the server leaves out an act this device checked")
    expect(james.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(james.locator("[data-promise]")).to_have_count(0)
    # Nor does the tab count it as waiting for him.
    expect(james.locator(".tabs__badge")).to_be_hidden()
    # Nor can it leave the whole promise out.
    james.unroute(PROMISES)
    _rewrite(james, PROMISES, lambda url, listing: listing | {"promises": []})
    james.reload()
    tab(james, "Promises & agreements")
    expect(card).to_contain_text("the server leaves out an act this device checked")
    expect(james.get_by_text("No promises yet")).to_have_count(0)
    assert errors == []


def test_a_withdrawal_listed_past_the_pages_is_not_shown(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """The server adds to a promise's listed history a withdrawal far past the newest record,
    where James's pages cannot check it yet. Nothing says Ella withdrew it: the card shows
    only the acts his pages checked, and the promise still waits for him."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.sync())
    sdk.run(ella.promise("I will call your mother"))
    tab(james, "Promises & agreements")
    expect(james.locator("[data-promise] .history li")).to_have_count(1)

    def withdrawn_later(url: str, listing: dict[str, Any]) -> dict[str, Any]:
        for listed in listing["promises"]:
            made = listed["history"][0]
            later = {"seq": 1_000_000, "kind": "promise.withdrawn", "at": made["at"]}
            listed["history"].append(later | {"member": made["member"], "promise": listed["id"]})
        return listing

    _rewrite(james, PROMISES, withdrawn_later)
    james.reload()
    tab(james, "Promises & agreements")
    card = james.locator("[data-promise]")
    expect(card.locator(".commitment__state")).to_have_text("Waiting to be acknowledged")
    expect(card.locator(".history li")).to_have_count(1)
    expect(james.get_by_text("Withdrawn by Ella")).to_have_count(0)
    expect(card.get_by_role("button", name="Acknowledge")).to_be_visible()
    assert errors == []


def _far_head(url: str, notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook's answer claiming a log a million records long."""
    return notebook | {"head": notebook["head"] | {"seq": 1_000_000}}


def test_a_far_head_claimed_when_joining_downgrades_nothing(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """From James's first request on, the server claims the log is a million records long,
    hoping his device marks signing as beginning there and takes every later unsigned act as
    protocol v1's. A notebook joined under v2 requires every act signed from its first record:
    Ella's passing of the pen, its signature stripped, is refused."""
    errors: list[str] = []
    ella, james = _paired(
        browser,
        live_server.url,
        sdk,
        errors,
        before=lambda page: _rewrite(page, NOTEBOOK, _far_head),
    )
    _rewrite(james, RECORDS, _without_signature("pen.passed"))
    sdk.run(ella.write("Over to you"))
    sdk.run(ella.pass_pen())
    james.reload()
    _refused_on(james)
    expect(james.get_by_label("Your turn")).to_have_count(0)
    assert james.evaluate(SIGNED_FROM) == 0
    assert errors == []


FROM_BEFORE_V2 = """async () => {
  const {latestNotebook, saveNotebook} = await import('/static/js/store.js');
  const record = await latestNotebook();
  delete record.signedFrom;
  await saveNotebook(record);
}"""


def test_a_notebook_kept_from_before_v2_pins_where_this_device_had_followed(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """A notebook this device kept from before protocol v2 has no mark of where signing began.
    The server, claiming a far head, hopes the device marks it there; it marks it at the last
    record it kept itself, and an unsigned act after that is refused."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.write("Before the new version"))
    expect(james.locator(".entry__text")).to_have_text(["Before the new version"])
    followed = ella._log.seq
    james.evaluate(FROM_BEFORE_V2)
    _rewrite(james, NOTEBOOK, _far_head)
    james.reload()
    expect(james.locator(".entry__text")).to_have_text(["Before the new version"])
    _rewrite(james, RECORDS, _without_signature("pen.passed"))
    sdk.run(ella.pass_pen())
    james.reload()
    _refused_on(james)
    expect(james.get_by_label("Your turn")).to_have_count(0)
    assert james.evaluate(SIGNED_FROM) == followed
    assert errors == []


def test_a_chapter_ella_never_opened_is_refused_and_names_no_chapter(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """The server sends James's live stream a new chapter "opened by Ella", unsigned: his page
    warns, draws no heading for it, and the pages stay in the chapter they were in."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.write("I am still here"))
    expect(james.locator(".entry__text")).to_have_text(["I am still here"])
    _forged_on_reload(
        james, ella, "chapter.opened", {"chapter": 2, "mode": "turns", "mirror": False}
    )
    _refused_on(james)
    expect(james.locator("details.chapter")).to_have_count(1)
    expect(james.locator(".chapter__title").first).to_be_hidden()
    expect(james.get_by_text("Ella has the pen")).to_be_visible()


def test_a_history_told_differently_to_james_is_noticed_at_ellas_next_line(
    browser: Browser, live_server, sdk: Sdk
) -> None:
    """A fork: the server shows James's page his arrival at another time than it shows Ella's
    device (a record no device signs, bound into the log's digest all the same). Nothing can
    tell until one of them writes; Ella's next line names the log she saw, and his page says
    the two were shown different histories instead of taking the line as written on his."""
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    sdk.run(ella.write("Are you there?"))
    expect(james.locator(".entry__text")).to_have_text(["Are you there?"])

    def another_time(url: str, page: dict[str, Any]) -> dict[str, Any]:
        for record in page["records"]:
            if record["kind"] == "member.joined":
                record["at"] = "2026-01-01T00:00:00.000Z"
        return page

    _rewrite(james, RECORDS, another_time)
    james.reload()
    expect(james.get_by_text("Ella has the pen")).to_be_visible()
    expect(james.locator(".warning")).to_be_hidden()
    sdk.run(ella.write("I'm here too"))
    expect(james.locator(".warning")).to_be_visible()
    expect(james.get_by_text("different histories").first).to_be_visible()
    expect(james.locator(".entry__text", has_text="I'm here too")).to_have_count(0)
