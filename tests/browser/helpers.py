"""Helpers for the browser tests: one browser profile per partner, and screenshots."""

import json
import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# `make screenshots` sets this to docs/screens; a plain test run keeps the tree clean. Names
# begin with the screen's place in the tour (two digits), so the folder lists in tour order.
SCREENSHOTS = os.environ.get("UNSPOKEN_SCREENSHOTS")


def person(
    browser: Browser,
    viewport: dict[str, int],
    base_url: str,
    errors: list[str],
    locale: str = "en-GB",
    timezone_id: str = "Europe/London",
) -> Page:
    """One partner's own browser profile: a separate context, so keys and storage are apart.

    Uncaught errors and console errors are appended to `errors`, for the test to assert on.
    `locale` and `timezone_id` are the browser's own language and clock.
    """
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if viewport["width"] < 600 else 1,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
        locale=locale,
        timezone_id=timezone_id,
        base_url=base_url,
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return page


def screenshot(page: Page, name: str, full_page: bool = True, scale: str = "device") -> None:
    """Save `{name}-{phone|laptop}-{light|dark}.png` at the page's width, once in each colour
    scheme (the whole page, or with a sheet open just the screen), with animations settled and
    nothing focused, when asked to. The page's own scheme is put back afterwards."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else PHONE["width"]
    device = "phone" if width < 600 else "laptop"
    was_dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    page.evaluate("document.activeElement?.blur()")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        page.screenshot(
            path=folder / f"{name}-{device}-{scheme}.png",
            full_page=full_page,
            animations="disabled",
            scale=scale,  # type: ignore[arg-type]
        )
    page.emulate_media(color_scheme="dark" if was_dark else "light")


def begin(page: Page, name: str, hand: str, ink: str) -> str:
    """Begin a notebook as `name`; returns the invite link."""
    page.goto("/")
    choose(page, name, hand, ink)
    page.get_by_role("button", name="Begin the notebook").click()
    field = page.get_by_label("Invite link")
    expect(field).to_have_value(re.compile(r"/join/[\w-]{22}#[\w-]{43}$"))
    return field.input_value()


def join(page: Page, link: str, name: str, hand: str, ink: str) -> None:
    page.goto(link)
    choose(page, name, hand, ink)
    page.get_by_role("button", name="Join the notebook").click()


def choose(page: Page, name: str, hand: str, ink: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_role("radio", name=hand).check()
    page.get_by_role("radio", name=ink).check()


def write(page: Page, text: str) -> None:
    page.get_by_label("Your turn").fill(text)
    page.get_by_role("button", name="Write it down").click()
    expect(page.locator(".entry__text").last).to_have_text(text)


def couple(
    browser: Browser,
    viewport: dict[str, int],
    base_url: str,
    errors: list[str],
    first: tuple[str, str, str] = ("Ella", "Delicate script", "Bordeaux"),
    second: tuple[str, str, str] = ("James", "Elegant", "Midnight blue"),
    timezone_id: str = "Europe/London",
) -> tuple[Page, Page]:
    """Two partners in one sealed notebook; the first began it and holds the pen. Both have put
    the first visit's cards away (test_first_visit.py reads them)."""
    one = person(browser, viewport, base_url, errors, timezone_id=timezone_id)
    two = person(browser, viewport, base_url, errors, timezone_id=timezone_id)
    join(two, begin(one, *first), *second)
    one.get_by_role("button", name="Let them in").click()
    expect(two.get_by_text(f"{first[0]} has the pen")).to_be_visible()
    expect(one.get_by_label("Your turn")).to_be_visible()
    for page in (one, two):
        skip_intro(page)
    return one, two


def skip_intro(page: Page) -> None:
    """Put the first visit's cards away, as a person who has read them before would."""
    page.get_by_role("region", name="One pen").get_by_role("button", name="Skip").click()


def sheet(page: Page, tool: str) -> Locator:
    """Open one of the notebook's sheets by its button; returns the dialog."""
    page.get_by_role("button", name=tool, exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def tab(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def both_widths(page: Page, name: str, full_page: bool = True) -> None:
    """Screenshots of one state at phone width and at laptop width (the page is resized), each
    in the light and the dark scheme."""
    if not SCREENSHOTS:
        return
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    screenshot(page, name, full_page)
    page.set_viewport_size(LAPTOP)
    # A phone's context renders at twice the pixels; laptop shots stay at 1280 wide like the rest.
    screenshot(page, name, full_page, scale="css")
    if size:
        page.set_viewport_size(size)


_CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok));
  }
}"""


def until_controlled(page: Page) -> None:
    """Wait until the page is served by the app's service worker (the offline shell)."""
    page.evaluate(_CONTROLLED)


VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def vectors(name: str) -> Any:
    """One of the shared vector files in tests/vectors/."""
    return json.loads((VECTORS / name).read_text("utf-8"))


def in_harness(browser: Browser, static_url: str, call: str, argument: Any) -> Any:
    """`call` (e.g. "acts_harness.js:run") of a harness in tests/browser/, run once on a blank
    page of its own with `argument`; what it returned."""
    module, function = call.split(":")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_url}/blank")
    result = page.evaluate(
        f"async (v) => (await import('/tests/{module}')).{function}(v)", argument
    )
    context.close()
    return result
