import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspoken.protocol import box
from unspoken.protocol.errors import ProtocolError

KEY = bytes(range(32))
AAD = box.aad("entry", "notebook", "1")


@given(st.binary(max_size=3000))
def test_pad_round_trips_to_a_multiple_of_256(data: bytes) -> None:
    padded = box.pad(data)
    assert len(padded) % 256 == 0 and len(padded) > len(data)
    assert box.unpad(padded) == data


@given(st.binary(max_size=2000))
def test_seal_round_trips(data: bytes) -> None:
    assert box.open_box(KEY, box.seal(KEY, data, AAD), AAD) == data


def test_the_largest_text_fits_in_64_kib() -> None:
    sealed = box.seal(KEY, bytes(box.MAX_PADDED - 1), AAD)
    assert len(sealed) <= box.MAX_BOX
    with pytest.raises(ProtocolError):
        box.seal(KEY, bytes(box.MAX_PADDED), AAD)


def test_every_altered_byte_is_refused() -> None:
    sealed = box.seal(KEY, b"I understand, but I can't pretend it doesn't hurt.", AAD)
    for i in range(len(sealed)):
        altered = bytearray(sealed)
        altered[i] ^= 0x01
        with pytest.raises(ProtocolError):
            box.open_box(KEY, bytes(altered), AAD)


def test_other_additional_data_or_key_is_refused() -> None:
    sealed = box.seal(KEY, b"Nor did I", AAD)
    with pytest.raises(ProtocolError):
        box.open_box(KEY, sealed, box.aad("entry", "notebook", "2"))
    with pytest.raises(ProtocolError):
        box.open_box(os.urandom(32), sealed, AAD)


def test_truncated_box_is_refused() -> None:
    sealed = box.seal(KEY, b"x", AAD)
    with pytest.raises(ProtocolError):
        box.open_box(KEY, sealed[:-1], AAD)
