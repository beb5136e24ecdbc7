"""A key handed out for a revoked device is refused in Chromium: the server, keeping a stolen
phone's signing key after its owner revoked it, wraps a key of its own choosing for the partner;
the browser never seals under it, and says the notebook cannot be trusted when told of an epoch
that phone began. The partner with the phone is the Python SDK (the thief needs its key)."""

import asyncio
import json
import re
import secrets
import threading
from collections.abc import Coroutine, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from unspoken.client import Notebook
from unspoken.protocol import box, exchange
from unspoken.protocol.encoding import b64decode, b64encode

from .helpers import PHONE, begin, person, write

pytestmark = pytest.mark.browser

KEYS = re.compile(r"/v1/notebooks/[\w-]+/keys$")
RECORDS = re.compile(r"/v1/notebooks/[\w-]+/records")


class Loop:
    """An event loop in a thread, for the SDK beside Playwright's synchronous calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def sdk() -> Iterator[Loop]:
    loop = Loop()
    yield loop
    loop.stop()


async def _stolen_and_revoked(james: Notebook) -> Notebook:
    link = await james.link_device()
    adding = asyncio.create_task(Notebook.add_device(link))
    await james.approve_device()
    phone = await asyncio.wait_for(adding, 30)
    await james.revoke_device(phone._device.id)
    await phone.close()
    return phone


def _paired(browser: Browser, url: str, sdk: Loop, errors: list[str]) -> tuple[Page, Notebook]:
    ella = person(browser, PHONE, url, errors)
    link = begin(ella, "Ella", "Delicate script", "Sepia")
    james: Notebook = sdk.run(Notebook.join(link, name="James"))
    ella.get_by_role("button", name="Let them in").click()
    expect(ella.get_by_label("Your turn")).to_be_visible()
    sdk.run(james.sync())
    return ella, james


def _forged_wrap(james: Notebook, thief: Notebook, epoch: int) -> dict[str, Any]:
    """A key of the operator's choosing for Ella's device, signed by the stolen phone."""
    creator = next(m for m in james._view["members"] if m["role"] == "creator")
    device = creator["devices"][0]
    place = (james.id, epoch, device["id"])
    kx = b64decode(device["exchange_key"]["key"])
    made = exchange.wrap_epoch_key(thief._device, place, kx, secrets.token_bytes(32))
    return {
        "epoch": epoch,
        "device": device["id"],
        "by": thief._device.id,
        "wrap": b64encode(made.wrap),
        "sig": b64encode(made.sig),
    }


def _rewrite(page: Page, pattern: re.Pattern[str], change) -> None:  # type: ignore[no-untyped-def]
    def handle(route: Route) -> None:
        try:
            response = route.fetch()
            answer = response.json()
        except PlaywrightError:
            try:
                route.abort()
            except PlaywrightError:
                pass
            return
        route.fulfill(response=response, body=json.dumps(change(route.request.url, answer)))

    page.route(pattern, handle)


def test_a_key_from_a_revoked_device_is_never_sealed_under(
    browser: Browser, live_server, sdk: Loop
) -> None:
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    forged: dict[str, Any] = {}
    _rewrite(ella, KEYS, lambda url, answer: answer | {"keys": [*answer["keys"], *forged.values()]})
    thief = sdk.run(_stolen_and_revoked(james))
    forged[2] = _forged_wrap(james, thief, 2)  # before Ella fetches epoch 1's key
    expect(ella.locator(".note--device-revoked")).to_be_visible()
    write(ella, "After the phone was lost")
    entries = sdk.run(james.read())
    assert entries[-1].text == "After the phone was lost"
    _, page = sdk.run(james._api.call("GET", f"/v1/notebooks/{james.id}/records?limit=500"))
    last = next(r for r in reversed(page["records"]) if r["kind"] == "entry")
    assert box.epoch_of(b64decode(last["ct"])) == 1  # not 2: the thief's key
    expect(ella.locator(".warning")).to_be_hidden()
    sdk.run(james.close())
    assert errors == []


def test_an_epoch_begun_by_a_revoked_device_is_refused_with_the_warning(
    browser: Browser, live_server, sdk: Loop
) -> None:
    errors: list[str] = []
    ella, james = _paired(browser, live_server.url, sdk, errors)
    thief = sdk.run(_stolen_and_revoked(james))
    expect(ella.locator(".note--device-revoked")).to_be_visible()
    started = {"kind": "epoch.started", "member": james.member_id, "epoch": 2}
    started |= {"device": thief._device.id, "reason": "renewed"}

    def announce(url: str, answer: dict[str, Any]) -> dict[str, Any]:
        """The thief's epoch, as the next record after the newest."""
        head, after = answer["head_seq"], int(parse_qs(urlsplit(url).query)["after"][0])
        if after > head or (answer["records"] and answer["records"][-1]["seq"] != head):
            return answer
        at = answer["records"][-1]["at"] if answer["records"] else "2026-01-01T00:00:00Z"
        shown = [*answer["records"], started | {"seq": head + 1, "at": at}]
        return answer | {"records": shown, "head_seq": head + 1}

    _rewrite(ella, RECORDS, announce)
    wrap = _forged_wrap(james, thief, 2)
    _rewrite(ella, KEYS, lambda url, answer: answer | {"keys": [*answer["keys"], wrap]})
    ella.reload()
    expect(ella.locator(".warning")).to_be_visible()
    sdk.run(james.close())
    assert errors == []
