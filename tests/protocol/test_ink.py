"""Ink (docs/protocol.md, "Ink") against the shared vectors (the browser runs the same file in
tests/browser/test_vectors.py), and its limits and refusals."""

import json
import random
import zlib
from pathlib import Path
from typing import Any

import pytest

from unspoken.protocol import box, chain, ink, items, messages
from unspoken.protocol.encoding import b64decode, b64encode
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import DeviceKey
from unspoken.protocol.messages import _seal_signed

DEVICE = DeviceKey.from_seed(bytes(range(32)))

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "protocol-ink.json").read_text(encoding="utf-8")
)


def _tuples(strokes: list[list[list[int]]]) -> ink.Strokes:
    return tuple(tuple((p[0], p[1], p[2], p[3]) for p in stroke) for stroke in strokes)


def test_the_limits_are_the_vectors() -> None:
    assert VECTORS["limits"] == ink.LIMITS


@pytest.mark.parametrize("case", VECTORS["packed"], ids=lambda c: c["why"])
def test_strokes_pack_byte_for_byte(case: dict[str, Any]) -> None:
    assert ink.pack_ink(case["strokes"]).hex() == case["packed_hex"]
    assert ink.unpack_ink(bytes.fromhex(case["packed_hex"])) == _tuples(case["strokes"])


@pytest.mark.parametrize("case", VECTORS["compressed"], ids=lambda c: c["why"])
def test_compressed_forms_decode(case: dict[str, Any]) -> None:
    assert ink.decode_ink(bytes.fromhex(case["hex"])) == _tuples(case["strokes"])


@pytest.mark.parametrize("case", VECTORS["refused"], ids=lambda c: c["why"])
def test_a_bad_encoding_is_refused(case: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        ink.decode_ink(bytes.fromhex(case["hex"]))


@pytest.mark.parametrize("case", VECTORS["refused_strokes"], ids=lambda c: c["why"])
def test_strokes_beyond_the_limits_are_refused_before_sealing(case: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        ink.check_ink(case["strokes"])
    with pytest.raises(ValueError):  # a ProtocolError is one: the SDK's callers catch it so
        ink.encode_ink(case["strokes"])


def test_the_sealed_ink_entry_opens() -> None:
    case = VECTORS["entry"]
    ck, key = bytes.fromhex(case["ck_hex"]), bytes.fromhex(case["device_public_hex"])
    body, digest = messages.open_entry_body(ck, key, case["notebook_id"], case["record"])
    assert (body["type"], body["text"], body["ink"]) == ("ink", case["text"], _tuples(case["ink"]))
    assert digest.hex() == case["hash_hex"]
    assert messages.open_entry(ck, key, case["notebook_id"], case["record"])[0] == case["text"]


def test_the_ink_draft_frame_opens() -> None:
    case = VECTORS["draft"]
    ck, key = bytes.fromhex(case["ck_hex"]), bytes.fromhex(case["device_public_hex"])
    text, strokes = items.open_draft_frame(ck, key, case["notebook_id"], case["frame"])
    assert (text, strokes) == (case["text"], _tuples(case["ink"]))
    assert items.open_draft(ck, key, case["notebook_id"], case["frame"]) == case["text"]


def test_a_typed_draft_frame_has_no_ink() -> None:
    case = VECTORS["draft"]
    ck = bytes.fromhex(case["ck_hex"])
    device = DEVICE
    frame = case["frame"]
    place = (case["notebook_id"], frame["chapter"], frame["draft"], frame["n"])
    signed = items.seal_draft(ck, device, place, "I never")
    mine = {**frame, "device": device.id, **signed.wire()}
    assert items.open_draft_frame(ck, device.public, case["notebook_id"], mine) == ("I never", None)


def _random_strokes(rng: random.Random, strokes: int, points: int) -> list[list[list[int]]]:
    t, out = 0, []
    for _ in range(strokes):
        stroke = []
        for _ in range(points):
            t += rng.randrange(0, 64)
            stroke.append([rng.randrange(1001), rng.randrange(20001), t, rng.randrange(256)])
        out.append(stroke)
    return out


def test_random_strokes_round_trip() -> None:
    rng = random.Random(19)
    for _ in range(50):
        strokes = _random_strokes(rng, rng.randrange(1, 20), rng.randrange(1, 40))
        assert ink.decode_ink(ink.encode_ink(strokes)) == _tuples(strokes)


def test_strokes_at_the_point_limit_are_taken_and_one_more_is_refused() -> None:
    quiet = [[[500, 50, n, 128] for n in range(ink.MAX_POINTS)]]
    assert len(ink.decode_ink(ink.encode_ink(quiet))[0]) == ink.MAX_POINTS
    with pytest.raises(ProtocolError, match="too many points"):
        ink.check_ink([quiet[0] + [[500, 50, ink.MAX_POINTS, 128]]])


def test_strokes_too_large_when_packed_are_refused_though_few() -> None:
    """Points that jump across the whole pad pack to about 8 bytes each: the byte limit, not the
    point limit, stops them, so that a sealed entry at the limits still fits one box."""
    strokes = _random_strokes(random.Random(4), 1, 6000)
    with pytest.raises(ProtocolError, match="too large"):
        ink.check_ink(strokes)


def test_decoding_stops_at_the_cap_however_far_the_bytes_would_inflate() -> None:
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = bomb.compress(bytes([1]) + bytes(50_000_000)) + bomb.flush()
    assert len(data) < 60_000  # fits one box…
    with pytest.raises(ProtocolError, match="inflates beyond"):
        ink.decode_ink(data)  # …and is refused after reading no more than the cap


def _open(body: dict[str, Any]) -> dict[str, Any]:
    """An entry of this body, sealed and opened as a partner's device would."""
    ck, device = bytes(32), DEVICE
    place = ("nb", 1, "entry", chain.GENESIS)
    signed = _seal_signed(ck, device, chain.entry_aad(*place[:3], device.id, place[3]), body, None)
    record = {"chapter": 1, "id": "entry", "device": device.id, "prev": b64encode(chain.GENESIS)}
    return messages.open_entry_body(ck, device.public, "nb", record | signed.wire())[0]


GOOD = b64encode(ink.encode_ink([[[1, 2, 0, 128]]]))


@pytest.mark.parametrize(
    "body",
    [
        {"type": "ink", "text": ""},
        {"type": "ink", "ink": 12, "text": ""},
        {"type": "ink", "ink": GOOD},
        {"type": "ink", "ink": "not base64!", "text": ""},
        {"type": "ink", "ink": b64encode(ink.encode_ink([])), "text": ""},
        {"type": "ink", "ink": b64encode(b"\x01\x02"), "text": ""},
        {"type": "text", "ink": GOOD, "text": "typed"},
        {"type": "drawing", "ink": GOOD, "text": ""},
    ],
)
def test_a_malformed_ink_entry_does_not_open(body: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        _open(body)


def test_an_ink_entry_opens_with_its_strokes_and_transcript() -> None:
    body = _open({"type": "ink", "ink": GOOD, "text": "hello"})
    assert (body["ink"], body["text"]) == ((((1, 2, 0, 128),),), "hello")


def test_an_entry_written_by_hand_holds_at_least_one_stroke() -> None:
    with pytest.raises(ProtocolError):
        messages.seal_entry(bytes(32), DEVICE, ("nb", 1, "e", bytes(32)), "", ink=[])


def test_the_sealed_body_holds_the_encoding_in_base64url() -> None:
    case, ck = VECTORS["entry"], bytes.fromhex(VECTORS["entry"]["ck_hex"])
    record = case["record"]
    where = (case["notebook_id"], record["chapter"], record["id"], record["device"])
    additional = chain.entry_aad(*where, b64decode(record["prev"]))
    sealed = json.loads(box.open_box(ck, b64decode(record["ct"]), additional))
    assert list(sealed) == ["type", "ink", "text", "seen"]
    assert ink.decode_ink(b64decode(sealed["ink"])) == _tuples(case["ink"])
