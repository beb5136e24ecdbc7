"""How large a line of handwriting is once sealed (docs/protocol.md, "Ink", what it costs).

A cursive line of about 25 letters is synthesised as a pointer would report it: five words,
each one stroke, then the dots and crosses; letters of 180-280 ms, garlands and loops with a
little tremor, sampled at 60, 90 or 120 Hz with a millisecond of jitter, with and without a
pen's pressure. Each line is sealed as an entry (with `seen`, no transcript) and its box
measured. `python tests/protocol/test_ink_size.py` prints the table docs/protocol.md quotes.
"""

import math
import random
import statistics

from unspoken.protocol import chain, ink, messages
from unspoken.protocol.keys import DeviceKey

RATES = (60, 90, 120)
WORDS = (4, 6, 3, 7, 5)  # 25 letters
LINE_SEEDS = range(4)
TOP = 100  # the line's ruled top: its baseline at 180, 100 units a line as the browser rules it


def _letter(rng: random.Random, x0: float, width: float) -> tuple[float, int, float, float]:
    """One letter's shape: (height, loops, back-swing, duration in ms)."""
    height = rng.choices((30.0, 60.0, -32.0), weights=(7, 2, 1))[0]
    return height, rng.choice((1, 2)), width * rng.uniform(0.15, 0.35), rng.uniform(180, 280)


def _word(
    rng: random.Random, letters: int, x: float, t: float, hz: int, pen: bool
) -> tuple[list[list[int]], float, float]:
    """One cursive word as one stroke, sampled at `hz`; returns (stroke, x after, t after)."""
    baseline = TOP + 80 + rng.uniform(-4, 4)
    shapes = [_letter(rng, x, 36.0) for _ in range(letters)]
    total = sum(shape[3] for shape in shapes)
    stroke: list[list[int]] = []
    clock, step, phase = 0.0, 1000 / hz, rng.uniform(0, math.tau)
    while clock <= total:
        at, spent = clock, 0.0
        for index, (height, loops, back, duration) in enumerate(shapes):
            if at <= spent + duration or index == len(shapes) - 1:
                s = min(1.0, (at - spent) / duration)
                px = x + 36.0 * (index + s) - back * math.sin(math.tau * loops * s)
                py = baseline - height * abs(math.sin(math.pi * loops * s))
                break
            spent += duration
        tremor = (rng.gauss(0, 0.6), rng.gauss(0, 0.6))
        pressure = 0.55 + 0.25 * math.sin(clock / 170 + phase) if pen else 0.5
        ms = max(0, round(t + clock + rng.uniform(-1, 1)))
        ms = max(ms, stroke[-1][2] if stroke else 0)
        stroke.append([round(px + tremor[0]), round(py + tremor[1]), ms, round(pressure * 255)])
        clock += step
    return stroke, x + 36.0 * letters, t + total


def line(seed: int, hz: int, pen: bool) -> list[list[list[int]]]:
    """A cursive line of 25 letters, then three dots or crosses, as integer ink points."""
    rng = random.Random(f"{seed}:{hz}:{pen}")
    strokes, x, t = [], 40.0, 0.0
    for letters in WORDS:
        stroke, x, t = _word(rng, letters, x, t, hz, pen)
        strokes.append(stroke)
        x, t = x + 30, t + rng.uniform(150, 400)  # the pen lifts to the next word
    for _ in range(3):
        dot_x, dot_t = rng.uniform(60, x - 30), t + rng.uniform(150, 300)
        points = max(2, round(hz * rng.uniform(0.03, 0.12)))
        strokes.append(
            [
                [round(dot_x + 3 * n), round(TOP + 130 - n), round(dot_t + n * 1000 / hz), 140]
                for n in range(points)
            ]
        )
        t = dot_t + points * 1000 / hz
    return [[[max(0, min(1000, p[0])), p[1], p[2], p[3]] for p in s] for s in strokes]


def sealed_size(strokes: list[list[list[int]]], text: str = "") -> int:
    device = DeviceKey.from_seed(bytes(32))
    place = ("A" * 22, 1, "B" * 22, chain.GENESIS)
    signed = messages.seal_entry(
        bytes(32), device, place, text, seen=(1234, bytes(32)), ink=strokes
    )
    return len(signed.box)


def measure() -> list[tuple[int, bool, int, int, int, int]]:
    """(Hz, pen, points, packed bytes, compressed bytes, sealed box bytes) for every line."""
    rows = []
    for hz in RATES:
        for pen in (False, True):
            for seed in LINE_SEEDS:
                strokes = line(seed, hz, pen)
                points = sum(len(s) for s in strokes)
                packed, encoded = ink.pack_ink(strokes), ink.encode_ink(strokes)
                rows.append((hz, pen, points, len(packed), len(encoded), sealed_size(strokes)))
    return rows


def test_a_line_of_handwriting_seals_in_4_kb_or_less() -> None:
    rows = measure()
    assert statistics.median(row[5] for row in rows) <= 4096
    assert max(row[5] for row in rows) <= 8192  # a pen at 120 Hz, the largest, stays close


def test_the_synthetic_lines_are_lines() -> None:
    strokes = line(0, 60, pen=False)
    assert len(strokes) == 8 and 900 <= max(p[0] for s in strokes for p in s) <= 1000
    duration = strokes[-1][-1][2] / 1000
    assert 6 <= duration <= 12  # seconds to write 25 letters, as a person does


if __name__ == "__main__":
    print("Hz  pen    points  packed  deflated  sealed box")
    for hz, pen, points, packed, encoded, box in measure():
        print(f"{hz:<3} {'yes' if pen else 'no':<5} {points:>7} {packed:>7} {encoded:>9} {box:>11}")
    all_rows = measure()
    print("median sealed:", statistics.median(r[5] for r in all_rows))
    for hz in RATES:
        print(hz, "Hz median sealed:", statistics.median(r[5] for r in all_rows if r[0] == hz))
