"""The reader's own settings are obeyed: reduced motion stops every animation and transition, the
dark scheme is warm paper at night with every ink still legible, and the browser's font size
scales all text (sizes are in rem)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, choose, couple, person, write

pytestmark = pytest.mark.browser

INKS = ["Midnight blue", "Iron gall", "Sepia", "Bordeaux", "Forest", "Violet"]

# Every element and its ::before/::after: the longest animation or transition it would run.
_LONGEST_MOTION = """() => {
  const seconds = (list) => Math.max(...list.split(",").map((part) => parseFloat(part) || 0));
  let longest = 0;
  for (const element of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      const animated = style.animationName !== "none" ? seconds(style.animationDuration) : 0;
      longest = Math.max(longest, animated, seconds(style.transitionDuration));
    }
  }
  return longest;
}"""

# A colour as the screen shows it, in sRGB bytes (the canvas resolves oklch() and the like).
_RGB = """(color) => {
  const canvas = new OffscreenCanvas(1, 1);
  const context = canvas.getContext("2d");
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
}"""


def _luminance(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: list[int], two: list[int]) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _shown(page: Page, selector: str, prop: str) -> list[int]:
    value = page.locator(selector).first.evaluate(f"el => getComputedStyle(el).{prop}")
    rgb: list[int] = page.evaluate(_RGB, value)
    return rgb


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_stops_every_animation(
    browser: Browser,
    live_server,
    motion: str,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    for page in (ella, james):
        page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
        longest = page.evaluate(_LONGEST_MOTION)
        if motion == "reduce":
            assert longest == 0, f"something still moves for {longest} s"
            assert page.evaluate("document.getAnimations().length") == 0
        else:
            assert longest > 0, "the words ink in, unless motion is reduced"
    assert errors == []


def test_dark_is_warm_paper_with_every_ink_legible(browser: Browser, live_server) -> None:
    errors: list[str] = []
    page = person(browser, PHONE, live_server.url, errors)
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    choose(page, "Ella", "Delicate script", "Bordeaux")
    paper = _shown(page, ".sheet", "backgroundColor")
    desk = _shown(page, "body", "backgroundColor")
    for surface in (paper, desk):
        red, green, blue = surface
        assert _luminance(surface) < 0.05, f"dark, not grey: {surface}"
        assert red > green > blue, f"warm like paper under a lamp, not grey-blue: {surface}"
    assert contrast(_shown(page, "body", "color"), paper) >= 7
    for ink in INKS:
        page.get_by_role("radio", name=ink).check()
        shown = _shown(page, ".preview__line", "color")
        assert contrast(shown, paper) >= 4.5, f"{ink} reads {shown} on {paper}"
    assert errors == []


def test_both_schemes_are_announced_to_the_browser(browser: Browser, live_server) -> None:
    page = person(browser, PHONE, live_server.url, [])
    page.goto("/")
    expect(page.locator('meta[name="color-scheme"]')).to_have_attribute("content", "light dark")
    themes = page.locator('meta[name="theme-color"]')
    expect(themes).to_have_count(2)
    media = {themes.nth(i).get_attribute("media") for i in range(2)}
    assert media == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    page.emulate_media(color_scheme="dark")
    night = page.locator('meta[name="theme-color"][media*="dark"]').get_attribute("content")
    assert _shown(page, "body", "backgroundColor") == page.evaluate(_RGB, night)


def test_text_follows_the_browsers_font_size(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    selectors = [
        "h1",
        ".wordmark",
        ".entry__text",
        ".entry__meta",
        ".composer__label",
        ".button",
        ".tabs__tab",
    ]
    sizes = (
        "(all) => all.map((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
    )
    normal = ella.evaluate(sizes, selectors)
    # What a reader's "very large" font setting does: the root size doubles (16 px → 32 px).
    ella.evaluate("document.documentElement.style.fontSize = '200%'")
    large = ella.evaluate(sizes, selectors)
    for selector, before, after in zip(selectors, normal, large, strict=True):
        assert after == pytest.approx(2 * before, rel=0.05), f"{selector}: {before} → {after}"
    assert errors == []
