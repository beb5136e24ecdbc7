"""Ink: handwritten strokes, encoded compactly (docs/protocol.md, "Ink").

A stroke is a list of points (x, y, t, p), all integers: x across a pad 1000 units wide, y down
from its top in the same units, t in milliseconds since the entry's first point (never going
back), p the pressure 0..255. Encoding v1 is a version byte, the stroke count, then per stroke
its point count and each point as zigzag deltas from the point before, all unsigned LEB128
varints; then raw DEFLATE. Decoding refuses anything that is not exactly that, within the
limits below. Pure; the browser's twin is js/protocol/ink.js.
"""

import zlib
from collections.abc import Iterator, Sequence
from typing import cast

from unspoken.protocol.errors import ProtocolError

VERSION = 1
MAX_STROKES = 400  # per entry (or draft)
MAX_POINTS = 8000  # per entry, all strokes together
MAX_X = 1000  # the pad is 1000 units wide, whatever its pixels
MAX_Y = 20000  # 200 ruled lines at the browser's 100 units a line
MAX_T = 86_400_000  # a day, in milliseconds since the first point
MAX_P = 255
MAX_BYTES = 40_000  # the varint encoding, before compression: an entry at the limits fits a box
LIMITS = {
    "strokes": MAX_STROKES,
    "points": MAX_POINTS,
    "x": MAX_X,
    "y": MAX_Y,
    "t": MAX_T,
    "p": MAX_P,
    "bytes": MAX_BYTES,
}
_RANGES = (("x", MAX_X), ("y", MAX_Y), ("t", MAX_T), ("p", MAX_P))
_VARINT_BYTES = 5  # every value the limits allow fits in 35 bits

Point = tuple[int, int, int, int]
Strokes = tuple[tuple[Point, ...], ...]


def _points(strokes: object) -> Iterator[tuple[int, Sequence[object]]]:
    """Each point with the index of its stroke, once the shape is a list of lists."""
    if not isinstance(strokes, list | tuple):
        raise ProtocolError("ink is a list of strokes")
    for index, stroke in enumerate(strokes):
        if not isinstance(stroke, list | tuple) or not stroke:
            raise ProtocolError(f"stroke {index + 1} is not a list of points")
        for point in stroke:
            if not isinstance(point, list | tuple) or len(point) != 4:
                raise ProtocolError(f"a point of stroke {index + 1} is not [x, y, t, p]")
            yield index, point


def check_ink(strokes: object) -> None:
    """Refuse (ProtocolError, a ValueError) strokes that break the shape or the limits: run
    before sealing and again when opening."""
    if isinstance(strokes, list | tuple) and len(strokes) > MAX_STROKES:
        raise ProtocolError(f"too many strokes ({len(strokes)}; at most {MAX_STROKES})")
    count, last_t = 0, 0
    for index, point in _points(strokes):
        count += 1
        if count > MAX_POINTS:
            raise ProtocolError(f"too many points (more than {MAX_POINTS})")
        for value, (name, top) in zip(point, _RANGES, strict=True):
            if type(value) is not int or not 0 <= value <= top:
                raise ProtocolError(f"a point of stroke {index + 1}: {name} is not 0..{top}")
        t = cast(int, point[2])
        if t < last_t:
            raise ProtocolError(f"stroke {index + 1}: t goes back in time")
        last_t = t
    size = len(_pack(cast(Sequence[Sequence[Sequence[int]]], strokes)))
    if size > MAX_BYTES:
        raise ProtocolError(f"the ink is too large ({size} bytes; at most {MAX_BYTES})")


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _pack(strokes: Sequence[Sequence[Sequence[int]]]) -> bytes:
    out = bytearray([VERSION]) + _varint(len(strokes))
    last = (0, 0, 0, 0)
    for stroke in strokes:
        out += _varint(len(stroke))
        for point in stroke:
            for value, before in zip(point, last, strict=True):
                out += _varint(_zigzag(value - before))
            last = (point[0], point[1], point[2], point[3])
    return bytes(out)


def pack_ink(strokes: Sequence[Sequence[Sequence[int]]]) -> bytes:
    """The varint encoding of checked strokes, before compression (the vectors pin it)."""
    check_ink(strokes)
    return _pack(strokes)


class _Reader:
    def __init__(self, raw: bytes) -> None:
        self.raw, self.at = raw, 0

    def varint(self) -> int:
        value = 0
        for shift in range(0, 7 * _VARINT_BYTES, 7):
            if self.at >= len(self.raw):
                raise ProtocolError("the ink ends in the middle of a number")
            byte = self.raw[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                if byte == 0 and shift:
                    raise ProtocolError("the ink holds a number written too long")
                return value
        raise ProtocolError("the ink holds a number too large")

    def delta(self) -> int:
        value = self.varint()
        return value >> 1 if not value & 1 else -(value >> 1) - 1


def unpack_ink(raw: bytes) -> Strokes:
    """The strokes of a varint encoding; ProtocolError for anything but exactly one."""
    if len(raw) > MAX_BYTES:
        raise ProtocolError(f"the ink is too large (at most {MAX_BYTES} bytes)")
    if raw[:1] != bytes([VERSION]):
        raise ProtocolError("unknown ink version")
    reader, strokes, total = _Reader(raw), [], 0
    reader.at = 1
    count = reader.varint()
    if count > MAX_STROKES:
        raise ProtocolError(f"too many strokes ({count}; at most {MAX_STROKES})")
    last = [0, 0, 0, 0]
    for _ in range(count):
        points = reader.varint()
        total += points
        if points == 0 or total > MAX_POINTS:
            raise ProtocolError("a stroke with no points, or too many points")
        stroke = []
        for _ in range(points):
            t_before = last[2]
            last = [before + reader.delta() for before in last]
            if not all(0 <= v <= top for v, (_, top) in zip(last, _RANGES, strict=True)):
                raise ProtocolError("a point of the ink is out of range")
            if last[2] < t_before:
                raise ProtocolError("the ink's times go backwards")
            stroke.append((last[0], last[1], last[2], last[3]))
        strokes.append(tuple(stroke))
    if reader.at != len(raw):
        raise ProtocolError("the ink has bytes after its last point")
    return tuple(strokes)


def encode_ink(strokes: Sequence[Sequence[Sequence[int]]]) -> bytes:
    """Checked strokes → the varint encoding under raw DEFLATE (what an entry seals)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(pack_ink(strokes)) + packer.flush()


def decode_ink(data: bytes) -> Strokes:
    """Raw DEFLATE → strokes; refuses a stream that is cut short, has bytes after its end, or
    inflates past MAX_BYTES (read no further than that: a small box cannot become a bomb)."""
    inflater = zlib.decompressobj(-15)
    try:
        raw = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ProtocolError("the ink is not raw DEFLATE") from exc
    if len(raw) > MAX_BYTES or inflater.unconsumed_tail:
        raise ProtocolError(f"the ink inflates beyond {MAX_BYTES} bytes")
    if not inflater.eof:
        raise ProtocolError("the ink is cut short")
    if inflater.unused_data:
        raise ProtocolError("the ink has bytes after its compressed end")
    return unpack_ink(raw)
