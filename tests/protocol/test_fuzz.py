"""Whatever bytes or records arrive, opening them either works or raises ProtocolError."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspoken.protocol import box, chain, ink, keys, messages
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.errors import ProtocolError

KEY = bytes(32)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.binary(max_size=600))
def test_random_bytes_never_open(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        box.open_box(KEY, data, b"")


@given(st.binary(max_size=600))
def test_random_bundles_never_open(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        messages.Bundle.open(KEY, "invite", data)


@given(
    st.dictionaries(
        st.sampled_from(["chapter", "id", "device", "prev", "ct", "sig"]),
        JSONISH | st.binary(max_size=40).map(b64encode),
    )
)
def test_malformed_entry_records_are_refused_cleanly(record: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        messages.open_entry(KEY, keys.DeviceKey.from_seed(bytes(32)).public, "nb", record)


@given(JSONISH)
def test_sealed_json_that_is_not_an_entry_is_refused(value: Any) -> None:
    device = keys.DeviceKey.from_seed(bytes(32))
    additional = chain.entry_aad("nb", 1, "id", device.id, chain.GENESIS)
    sealed = box.seal(KEY, json.dumps(value).encode(), additional)
    record = {
        "chapter": 1,
        "id": "id",
        "device": device.id,
        "prev": b64encode(chain.GENESIS),
        "ct": b64encode(sealed),
        "sig": b64encode(device.sign(chain.signed_message(additional, sealed))),
    }
    if (
        isinstance(value, dict)
        and value.get("type") == "text"
        and isinstance(value.get("text"), str)
    ):
        assert messages.open_entry(KEY, device.public, "nb", record)[0] == value["text"]
    else:
        with pytest.raises(ProtocolError):
            messages.open_entry(KEY, device.public, "nb", record)


@given(st.binary(max_size=600))
def test_random_ink_decodes_or_is_refused(data: bytes) -> None:
    """Compressed or packed, arbitrary bytes give strokes within the limits or ProtocolError."""
    for decode in (ink.decode_ink, ink.unpack_ink):
        try:
            strokes = decode(data)
        except ProtocolError:
            continue
        ink.check_ink(strokes)


@given(st.binary(min_size=1, max_size=300))
def test_packed_ink_that_decodes_packs_back_to_the_same_bytes(data: bytes) -> None:
    """One encoding for each ink: what unpacks packs back byte for byte."""
    raw = b"\x01" + data
    try:
        strokes = ink.unpack_ink(raw)
    except ProtocolError:
        return
    assert ink.pack_ink(strokes) == raw


@given(JSONISH)
def test_random_json_is_not_taken_for_ink(value: Any) -> None:
    """check_ink takes only lists of lists of [x, y, t, p] whole numbers within the limits."""
    try:
        ink.check_ink(value)
    except ProtocolError:
        return
    assert isinstance(value, list)
    assert all(isinstance(stroke, list) and stroke for stroke in value)
