"""Handwriting for the browser tests: a few lowercase letters as a pen would join them, and a
way to write them on the composer's pad with synthetic pointers (touch or pen, at the pace a
hand writes) or with the mouse.

Each letter is a few key points in x-height units (y down, the baseline at 0, the x-height at
-1), smoothed through Catmull-Rom curves into the dense points a pointer sends; a little slant
and a pressure that swells mid-stroke make it read as writing rather than a diagram."""

import math
from typing import Any

from playwright.sync_api import Page

Point = tuple[float, float]

# Key points per letter, "x,y" pairs, one stroke per "|", then how far the next letter begins.
_SHAPES = {
    "I": ("0.05,-1.7 0.2,-1.75 0.18,-0.8 0.12,0 0,0.05", 0.45),
    "i": ("0,-0.95 0.02,-0.3 0.1,0 0.3,-0.1 | 0.04,-1.48 0.1,-1.36", 0.4),
    "m": (
        "0,-0.9 0.02,0 0.05,-0.6 0.22,-1 0.38,-0.8 0.4,0 0.44,-0.6 0.62,-1 0.78,-0.8 0.8,-0.1 "
        "0.95,0",
        1.05,
    ),
    "s": ("0.5,-0.85 0.3,-1 0.08,-0.85 0.15,-0.55 0.45,-0.38 0.48,-0.12 0.28,0 0.02,-0.12", 0.65),
    "y": (
        "0,-0.95 0.05,-0.3 0.25,0 0.48,-0.3 0.55,-1 0.5,0.4 0.32,0.85 0.08,0.7 0.2,0.3 0.6,0.05",
        0.7,
    ),
    "o": (
        "0.35,-1 0.08,-0.82 0.02,-0.35 0.22,0 0.45,-0.15 0.55,-0.6 0.4,-0.98 0.3,-0.9 0.6,-0.85",
        0.7,
    ),
    "u": ("0,-0.95 0.02,-0.3 0.2,0 0.45,-0.2 0.55,-1 0.55,-0.1 0.7,0", 0.8),
    "e": ("0.02,-0.45 0.45,-0.6 0.42,-0.95 0.15,-0.92 0,-0.45 0.18,0 0.52,-0.1", 0.62),
    "n": ("0,-0.95 0.02,0 0.06,-0.6 0.28,-1 0.48,-0.8 0.5,-0.1 0.62,0", 0.75),
    "r": ("0,-0.95 0.02,0 0.06,-0.6 0.25,-1 0.45,-0.9", 0.55),
    " ": ("", 0.55),
}


def _strokes(shape: str) -> list[list[Point]]:
    return [
        [(float(x), float(y)) for x, y in (pair.split(",") for pair in stroke.split())]
        for stroke in shape.split("|")
        if stroke.strip()
    ]


LETTERS = {letter: (_strokes(shape), advance) for letter, (shape, advance) in _SHAPES.items()}


def _spline(keys: list[Point], per: int) -> list[Point]:
    """Catmull-Rom through the key points, `per` points between each two."""
    if len(keys) < 2:
        return [keys[0], (keys[0][0] + 0.02, keys[0][1] + 0.02)]
    padded = [keys[0], *keys, keys[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(per):
            s = step / per
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * s
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * s * s
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * s * s * s
                    )
                    for k in (0, 1)
                )
            )
    out.append(keys[-1])
    return out


def strokes_for(
    text: str, left: float = 50, baseline: float = 100, size: float = 50
) -> list[list[tuple[float, float, float]]]:
    """Strokes of points (x, y, pressure) in ink units (the pad is 1000 wide), for `text`
    written from (`left`, `baseline`) with an x-height of `size`; a long text goes on to the
    next line (125 units further down)."""
    strokes: list[list[tuple[float, float, float]]] = []
    x = left
    for index, letter in enumerate(text):
        shapes, advance = LETTERS[letter]
        if x + advance * size > 960:
            x, baseline = left, baseline + 125
        for keys in shapes:
            points = _spline(keys, 6)
            stroke = []
            for n, (px, py) in enumerate(points):
                slant = -py * 0.22  # leaning forward, as a hand does
                wobble = math.sin(index * 1.7 + n * 0.3) * 0.015
                pressure = 0.45 + 0.35 * math.sin(math.pi * n / max(1, len(points) - 1))
                stroke.append(
                    (x + (px + slant + wobble) * size, baseline + py * size, round(pressure, 3))
                )
            strokes.append(stroke)
        x += advance * size
    return strokes


_WRITE = """async ([strokes, kind, gap, id]) => {
  const sheet = document.querySelector(".pad__sheet");
  const box = sheet.getBoundingClientRect();
  const scale = box.width / 1000;
  const wait = () => new Promise((ok) => setTimeout(ok, gap));
  const drawn = [];
  for (const stroke of strokes) {
    const at = ([x, y, p], type) => new PointerEvent(type, {
      pointerId: id, pointerType: kind, isPrimary: true, bubbles: true, cancelable: true,
      clientX: box.left + x * scale, clientY: box.top + y * scale,
      pressure: type === "pointerup" ? 0 : kind === "mouse" ? 0.5 : p,
      buttons: type === "pointerup" ? 0 : 1,
    });
    sheet.dispatchEvent(at(stroke[0], "pointerdown"));
    drawn.push(performance.timeOrigin + performance.now());
    for (const point of stroke.slice(1)) {
      if (gap) await wait();
      sheet.dispatchEvent(at(point, "pointermove"));
    }
    sheet.dispatchEvent(at(stroke.at(-1), "pointerup"));
    if (gap) await wait();
  }
  return drawn;
}"""


def write_by_hand(page: Page, text: str, kind: str = "pen", gap_ms: int = 0, **where: Any) -> Any:
    """Write `text` on the pad with synthetic `kind` pointers ("touch" or "pen"), a point every
    `gap_ms` (0: all at once); returns when each stroke began, on the page's clock (ms)."""
    pointer = {"touch": 11, "pen": 12, "mouse": 1}[kind]
    return page.evaluate(_WRITE, [strokes_for(text, **where), kind, gap_ms, pointer])
