import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspoken.protocol.encoding import b64decode, b64encode, is_id, lp, new_id
from unspoken.protocol.errors import ProtocolError


@given(st.binary(max_size=200))
def test_b64_round_trips(data: bytes) -> None:
    assert b64decode(b64encode(data)) == data


@given(st.text(max_size=40))
def test_b64_decode_either_round_trips_or_refuses(text: str) -> None:
    try:
        data = b64decode(text)
    except ProtocolError:
        return
    assert b64encode(data) == text


@given(st.lists(st.binary(max_size=20), max_size=5), st.lists(st.binary(max_size=20), max_size=5))
def test_lp_is_unambiguous(a: list[bytes], b: list[bytes]) -> None:
    if a != b:
        assert lp(*a) != lp(*b)


def test_new_ids_are_ids_and_distinct() -> None:
    ids = {new_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(is_id(i) for i in ids)


@pytest.mark.parametrize("text", ["", "short", "A" * 21 + "=", "A" * 23, "A" * 21 + "B", 7])
def test_is_id_refuses_what_is_not_sixteen_bytes(text: str) -> None:
    assert not is_id(text)
