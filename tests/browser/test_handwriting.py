"""Writing by hand in the browser: the composer's lined pad takes strokes from a mouse, a finger
and a pen (Pointer Events, with the pen's pressure), undoes the last one, clears, keeps the
strokes through a reload, and the page shows what was written as an SVG named for a screen
reader."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import LAPTOP, PHONE, both_widths, couple

pytestmark = pytest.mark.browser

# A small "m": three humps, in fractions of the pad's width and height.
M = [(0.10, 0.55), (0.12, 0.30), (0.18, 0.25), (0.22, 0.55), (0.24, 0.30), (0.30, 0.25),
     (0.34, 0.55)]  # fmt: skip
BAR = [(0.40, 0.40), (0.50, 0.42), (0.60, 0.41), (0.70, 0.40)]

_DISPATCH = """([points, kind, pressure, id]) => {
  const sheet = document.querySelector(".pad__sheet");
  const box = sheet.getBoundingClientRect();
  const at = ([x, y], type) => new PointerEvent(type, {
    pointerId: id, pointerType: kind, isPrimary: true, bubbles: true, cancelable: true,
    clientX: box.left + x * box.width, clientY: box.top + y * box.height,
    pressure: type === "pointerup" ? 0 : pressure, buttons: type === "pointerup" ? 0 : 1,
    tiltX: kind === "pen" ? 20 : 0, width: 8, height: 8,
  });
  sheet.dispatchEvent(at(points[0], "pointerdown"));
  for (const point of points.slice(1)) sheet.dispatchEvent(at(point, "pointermove"));
  sheet.dispatchEvent(at(points.at(-1), "pointerup"));
}"""


def by_hand(page: Page) -> None:
    """Turn the composer to writing by hand."""
    toggle = page.get_by_role("button", name="Write by hand")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("group", name="Writing pad")).to_be_visible()


def draw_with_mouse(page: Page, points: list[tuple[float, float]]) -> None:
    box = page.locator(".pad__sheet").bounding_box()
    assert box
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for point in at[1:]:
        page.mouse.move(*point, steps=4)
    page.mouse.up()


def draw_with(page: Page, kind: str, points: list[tuple[float, float]], pressure: float) -> None:
    """Synthetic touch or pen pointers, as a finger or a stylus sends them."""
    page.evaluate(_DISPATCH, [points, kind, pressure, 7 if kind == "touch" else 9])


def kept_strokes(page: Page) -> Any:
    """The strokes the pad holds, read from the paths it drew (one per stroke)."""
    return page.locator(".pad__ink path").count()


def test_the_pad_takes_mouse_touch_and_pen_and_undoes(browser: Browser, live_server) -> None:
    errors: list[str] = []
    ella, _james = couple(browser, PHONE, live_server.url, errors)
    write = ella.get_by_role("button", name="Write it down")
    by_hand(ella)
    expect(ella.get_by_text("Write here with your finger, a pen or the mouse.")).to_be_visible()
    expect(write).to_be_disabled()
    expect(ella.get_by_role("button", name="Undo last stroke")).to_be_disabled()

    draw_with_mouse(ella, M)
    expect(ella.locator(".pad__ink path")).to_have_count(1)
    expect(write).to_be_enabled()
    draw_with(ella, "touch", BAR, 0.6)
    expect(ella.locator(".pad__ink path")).to_have_count(2)
    draw_with(ella, "pen", [(x, y + 0.2) for x, y in BAR], 0.9)
    expect(ella.locator(".pad__ink path")).to_have_count(3)
    # Every path is an outline perfect-freehand drew, not a bare line.
    for d in ella.locator(".pad__ink path").evaluate_all("ps => ps.map(p => p.getAttribute('d'))"):
        assert d.startswith("M") and d.endswith("Z") and d.count(" ") > 10

    both_widths(ella, "11b-writing-by-hand")
    ella.get_by_role("button", name="Undo last stroke").click()
    expect(ella.locator(".pad__ink path")).to_have_count(2)

    # The strokes are the draft: kept on this device, they come back after a reload.
    ella.wait_for_timeout(300)
    ella.reload()
    expect(ella.get_by_role("button", name="Write by hand")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(ella.locator(".pad__ink path")).to_have_count(2)
    expect(ella.get_by_text("Saved on this device")).to_be_visible()

    ella.get_by_role("button", name="Clear").click()
    expect(ella.locator(".pad__ink path")).to_have_count(0)
    expect(ella.get_by_role("button", name="Write it down")).to_be_disabled()
    # Clearing is undone like a stroke.
    ella.get_by_role("button", name="Undo last stroke").click()
    expect(ella.locator(".pad__ink path")).to_have_count(2)

    # Back to typing: the label is the composer's again; the strokes wait on the hidden pad.
    ella.get_by_role("button", name="Write by hand").click()
    expect(ella.get_by_role("group", name="Writing pad")).to_be_hidden()
    expect(ella.get_by_label("Your turn")).to_be_visible()
    assert errors == []


def test_the_points_are_whole_ink_units_with_time_and_pressure(
    browser: Browser, live_server
) -> None:
    """The pad keeps [x, y, t, p] in whole numbers: x in 0..1000 whatever the pad's pixels,
    t never going back, p the pen's pressure (128 where the device gives none)."""
    errors: list[str] = []
    ella, _james = couple(browser, LAPTOP, live_server.url, errors)
    by_hand(ella)
    draw_with_mouse(ella, M)
    draw_with(ella, "pen", BAR, 0.75)  # exact in a float32
    draw_with(ella, "touch", [(x, y + 0.2) for x, y in BAR], 0.0)  # a finger with no force
    ella.wait_for_timeout(300)
    strokes = ella.evaluate("""async () => {
      const { draftKeeper } = await import("/static/js/drafts.js");
      const id = location.pathname.split("/").pop();
      return (await draftKeeper(id).load()).ink;
    }""")
    assert len(strokes) == 3
    points = [point for stroke in strokes for point in stroke]
    assert all(len(p) == 4 and all(isinstance(v, int) for v in p) for p in points)
    assert all(0 <= p[0] <= 1000 and p[1] >= 0 and 0 <= p[3] <= 255 for p in points)
    times = [p[2] for p in points]
    assert times[0] == 0 and times == sorted(times)
    assert {p[3] for p in strokes[0]} == {128}  # the mouse gives no pressure
    assert {p[3] for p in strokes[1]} == {round(0.75 * 255)}
    assert {p[3] for p in strokes[2]} == {128}
    # The pen's bar spans 40 %..70 % of the width: 400..700 ink units at any pixel width.
    xs = [p[0] for p in strokes[1]]
    assert min(xs) == 400 and max(xs) == 700
    assert errors == []
