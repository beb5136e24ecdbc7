"""Strokes as an SDK caller gives them, made into ink as the protocol holds it (docs/protocol.md,
"Ink"): points (x, y, t) or (x, y, t, pressure) with numbers of any kind become integer
(x, y, t, p) points, the pressure 0..1 becoming 0..255 (128 when none is given). Pure."""

import math
from collections.abc import Iterable, Sequence

from unspoken.client.models import Ink
from unspoken.protocol.ink import check_ink

NO_PRESSURE = 128  # what a device that senses no pressure writes


def _number(value: object, what: str) -> float:
    if isinstance(value, bool | str | bytes):
        raise ValueError(f"{what} is a number")
    try:
        number = float(value)  # type: ignore[arg-type]  # whatever float() takes: int, numpy…
    except (TypeError, ValueError):
        raise ValueError(f"{what} is a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} is a finite number")
    return number


def _whole(value: object, what: str) -> int:
    return round(_number(value, what))


def _point(point: Sequence[object]) -> tuple[int, int, int, int]:
    if len(point) not in (3, 4):
        raise ValueError("a point is (x, y, t) or (x, y, t, pressure)")
    x, y, t = (_whole(v, name) for v, name in zip(point, "xyt", strict=False))
    if len(point) == 3:
        return x, y, t, NO_PRESSURE
    pressure = _number(point[3], "a pressure")
    if not 0 <= pressure <= 1:
        raise ValueError("a pressure is a number from 0 to 1")
    return x, y, t, round(pressure * 255)


def as_ink(strokes: Iterable[Iterable[Sequence[object]]], empty: bool = False) -> Ink:
    """The strokes as integer points, checked against the ink's limits (ValueError); none at
    all only when `empty` allows it (a draft whose pad was cleared)."""
    if isinstance(strokes, str | bytes):
        raise ValueError("strokes are a list of strokes, each a list of points")
    ink = tuple(tuple(_point(point) for point in stroke) for stroke in strokes)
    check_ink(ink)
    if not ink and not empty:
        raise ValueError("an entry written by hand holds at least one stroke")
    return ink
