"""Regenerate protocol-ink.json from fixed inputs: `python tests/vectors/generate_ink.py`.

Ink (docs/protocol.md, "Ink"): strokes and their varint encoding before compression, byte for
byte; compressed forms each client must decode (deflate implementations differ, so compressed
bytes are not pinned across languages, only that each opens the other's); encodings a decoder
must refuse, each with why; strokes a writer must refuse before sealing; and a sealed ink entry
and an ink draft frame both clients open. The Python and browser implementations are both
tested against this file (tests/protocol/test_ink_vectors.py, tests/browser/test_vectors.py).
"""

import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

from unspoken.protocol import chain, items, keys, messages
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.ink import LIMITS, MAX_BYTES, encode_ink, pack_ink

OUT = Path(__file__).with_name("protocol-ink.json")


def _fixed(label: str, size: int) -> bytes:
    out, counter = b"", 0
    while len(out) < size:
        out += hashlib.sha256(f"ink:{label}:{counter}".encode()).digest()
        counter += 1
    return out[:size]


def _id(label: str) -> str:
    return b64encode(_fixed(label, 16))


# A short word, "hi", as a pen at 60 Hz would leave it: one stroke, then the dot of the i.
WORD = [
    [
        [120, 310, 0, 128],
        [121, 290, 16, 140],
        [123, 262, 33, 151],
        [124, 240, 50, 160],
        [124, 300, 66, 166],
        [126, 330, 83, 170],
        [131, 296, 100, 168],
        [140, 281, 116, 161],
        [149, 290, 133, 158],
        [152, 330, 150, 150],
        [163, 318, 166, 149],
        [170, 292, 183, 152],
        [171, 325, 200, 141],
        [182, 331, 216, 120],
    ],
    [[171, 262, 480, 96], [172, 261, 496, 110]],
]

PACKED = [
    ("no strokes (a draft whose pad was cleared)", []),
    ("one point, no pressure sensed", [[[0, 0, 0, 128]]]),
    ("a point at every upper limit", [[[1000, 20000, 86_400_000, 255]]]),
    ("deltas that go back (zigzag)", [[[500, 500, 0, 200], [499, 450, 8, 10], [1000, 0, 8, 255]]]),
    ("a word written by hand", WORD),
]


def _deflate(raw: bytes, level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(raw) + packer.flush()


def _packed() -> list[dict[str, Any]]:
    return [{"why": why, "strokes": s, "packed_hex": pack_ink(s).hex()} for why, s in PACKED]


def _compressed() -> list[dict[str, Any]]:
    """Raw DEFLATE forms of the packed strokes: zlib's best (what encode_ink gives), and stored
    blocks (no compression), which any inflater must read."""
    out = []
    for why, strokes in PACKED:
        raw = pack_ink(strokes)
        for how, level in (("compressed", 9), ("stored", 0)):
            data = encode_ink(strokes) if level == 9 else _deflate(raw, level)
            out.append({"why": f"{why}, {how}", "strokes": strokes, "hex": data.hex()})
    return out


def _varints(*values: int) -> bytes:
    out = bytearray()
    for value in values:
        while value >= 0x80:
            out.append(value & 0x7F | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


def _zz(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _point(x: int, y: int, t: int, p: int) -> bytes:
    return _varints(_zz(x), _zz(y), _zz(t), _zz(p))


def _refused() -> list[dict[str, Any]]:
    """What a decoder must refuse: bad packed bytes (deflated, as they would arrive), then
    compressed streams that are wrong in themselves."""
    one = bytes([1]) + _varints(1, 1) + _point(10, 20, 0, 128)
    packed = [
        ("an unknown version", bytes([2]) + one[1:]),
        ("bytes after the last point", one + b"\x00"),
        ("a number cut short", one[:-1] + b"\x80"),
        ("the strokes end before the count says", bytes([1]) + _varints(2, 1) + _point(1, 1, 0, 1)),
        ("a number written too long (1 as 0x81 0x00)", one[:2] + b"\x81\x00" + one[3:]),
        ("a number longer than five bytes (none in range is)", bytes([1]) + b"\xff" * 5 + b"\x01"),
        ("a stroke with no points", bytes([1]) + _varints(1, 0)),
        ("x beyond 1000", bytes([1]) + _varints(1, 1) + _point(1001, 0, 0, 0)),
        ("y beyond 20000", bytes([1]) + _varints(1, 1) + _point(0, 20001, 0, 0)),
        ("t beyond a day", bytes([1]) + _varints(1, 1) + _point(0, 0, 86_400_001, 0)),
        ("a pressure beyond 255", bytes([1]) + _varints(1, 1) + _point(0, 0, 0, 256)),
        ("a negative x", bytes([1]) + _varints(1, 1) + _point(-1, 0, 0, 0)),
        (
            "t going back in time",
            bytes([1]) + _varints(1, 2) + _point(0, 0, 50, 0) + _point(0, 0, -1, 0),
        ),
        (
            "more than 400 strokes",
            bytes([1]) + _varints(401) + (_varints(1) + _point(0, 0, 0, 0)) * 401,
        ),
        ("more than 8000 points", bytes([1]) + _varints(1, 8001) + _point(0, 0, 0, 0) * 8001),
        ("no bytes at all, inflated", b""),
    ]
    out = [{"why": why, "hex": _deflate(raw).hex()} for why, raw in packed]
    good = _deflate(one)
    out += [
        {"why": "nothing at all", "hex": ""},
        {"why": "a compressed stream cut short", "hex": good[:-2].hex()},
        {"why": "bytes after the compressed stream's end", "hex": (good + b"\x00").hex()},
        {"why": "not DEFLATE (a reserved block type)", "hex": "ff" * 8},
        {"why": "a zlib header: not raw DEFLATE", "hex": zlib.compress(one).hex()},
        {
            "why": f"a bomb: it inflates far beyond {MAX_BYTES} bytes",
            "hex": _deflate(one + bytes(1_000_000)).hex(),
        },
    ]
    return out


def _refused_strokes() -> list[dict[str, Any]]:
    """Strokes a writer refuses before sealing (check_ink / checkInk)."""
    return [
        {"why": "not a list", "strokes": {"x": 1}},
        {"why": "a stroke with no points", "strokes": [[]]},
        {"why": "a point of three numbers", "strokes": [[[1, 2, 3]]]},
        {"why": "a number that is not whole", "strokes": [[[1.5, 2, 3, 4]]]},
        {"why": "a number as text", "strokes": [[["1", 2, 3, 4]]]},
        {"why": "x beyond 1000", "strokes": [[[1001, 0, 0, 0]]]},
        {"why": "a negative y", "strokes": [[[0, -1, 0, 0]]]},
        {"why": "a pressure beyond 255", "strokes": [[[0, 0, 0, 256]]]},
        {"why": "t going back across strokes", "strokes": [[[0, 0, 90, 0]], [[0, 0, 80, 0]]]},
        {"why": "more than 400 strokes", "strokes": [[[0, 0, 0, 0]]] * 401},
    ]


NOTEBOOK = _id("notebook")
CK = keys.content_key(_fixed("notebook-key", 32), NOTEBOOK)
DEVICE = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))


def _entry() -> dict[str, Any]:
    entry_id, prev, nonce = _id("entry"), _fixed("prev", 32), _fixed("nonce-entry", 12)
    seen = (7, _fixed("digest", 32))
    place = (NOTEBOOK, 2, entry_id, prev)
    signed = messages.seal_entry(CK, DEVICE, place, "hi", nonce, seen=seen, ink=WORD)
    return {
        "ck_hex": CK.hex(),
        "notebook_id": NOTEBOOK,
        "device_public_hex": DEVICE.public.hex(),
        "record": {
            "chapter": 2,
            "id": entry_id,
            "device": DEVICE.id,
            "prev": b64encode(prev),
            **signed.wire(),
        },
        "hash_hex": chain.entry_hash(signed.aad, signed.box, signed.sig).hex(),
        "text": "hi",
        "ink": WORD,
    }


def _draft() -> dict[str, Any]:
    draft_id, nonce = _id("draft"), _fixed("nonce-draft", 12)
    so_far = [WORD[0]]
    signed = items.seal_draft(CK, DEVICE, (NOTEBOOK, 2, draft_id, 3), "", nonce, ink=so_far)
    frame = {"chapter": 2, "draft": draft_id, "n": 3, "device": DEVICE.id, **signed.wire()}
    return {
        "ck_hex": CK.hex(),
        "notebook_id": NOTEBOOK,
        "device_public_hex": DEVICE.public.hex(),
        "frame": frame,
        "text": "",
        "ink": so_far,
    }


def vectors() -> dict[str, Any]:
    return {
        "about": __doc__,
        "limits": LIMITS,
        "packed": _packed(),
        "compressed": _compressed(),
        "refused": _refused(),
        "refused_strokes": _refused_strokes(),
        "entry": _entry(),
        "draft": _draft(),
        # What the browser seals with (its own device, from this seed), for Python to open.
        "made": {
            "device_seed_hex": _fixed("seed-james", 32).hex(),
            "entry_id": _id("made"),
            "prev_hex": _fixed("made-prev", 32).hex(),
        },
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(vectors(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
