"""The scanner the canary tests rely on finds a secret in each form it claims to."""

import base64

import pytest

from browser.leaks import forms, leaks

SECRET = "Kx1f2e3dcanary"


@pytest.mark.parametrize("prefix", [b"", b"a", b"ab", b"abc"])
def test_base64_is_found_at_any_alignment(prefix: bytes) -> None:
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        data = b"{" + encode(prefix + SECRET.encode() + b"tail") + b"}"
        assert leaks(data, [SECRET]), (prefix, encode)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_text_is_found_in_each_encoding(encoding: str) -> None:
    assert leaks(b"\x00before" + SECRET.encode(encoding) + b"after", [SECRET])


def test_a_secret_split_by_chunked_coding_is_found() -> None:
    body = SECRET.encode()
    data = b"7\r\n" + body[:7] + b"\r\n" + f"{len(body) - 7:x}".encode() + b"\r\n" + body[7:]
    assert SECRET.encode() not in data
    assert leaks(data, [SECRET])


def test_ciphertext_and_other_words_are_not_reported() -> None:
    data = base64.b64encode(bytes(range(256)) * 4) + b"another secret entirely"
    assert leaks(data, [SECRET]) == []
    assert set(forms(SECRET)) >= {"utf-8", "utf-16-le", "base64+0", "base64url+2"}
