"""The push endpoints refuse what they cannot use, in plain words, and change nothing."""

from typing import Any

import httpx
import pytest

from api.helpers import Book, claim, create, invite, paired, problem

from .receiver import PushDevice, PushService


def _url(book: Book, rest: str = "") -> str:
    return f"/v1/notebooks/{book.id}/push{rest}"


async def _unchanged(client: httpx.AsyncClient, book: Book) -> None:
    shown = await client.get(_url(book), headers=book.joiner.auth)
    assert shown.json() == {
        "subscribed": False,
        "notices": ["new", "pen", "ready", "pause-ended"],
        "quiet": None,
    }


async def test_the_key_is_a_p256_point(client: httpx.AsyncClient) -> None:
    key = (await client.get("/v1/push/key")).json()["key"]
    assert len(key) == 87  # 65 bytes, base64url without padding
    assert (await client.get("/v1/push/key")).json()["key"] == key  # made once, then kept


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"endpoint": "https://push.example.net/abc"}, "push service that this server sends to"),
        ({"endpoint": "http://10.0.0.7/internal"}, "push service that this server sends to"),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "'keys.p256dh'"),
        ({"keys": {"p256dh": "BA" + "A" * 85, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "P-256"),
        ({"keys": None}, "'keys'"),
    ],
)
async def test_a_subscription_that_cannot_be_used_is_refused(
    client: httpx.AsyncClient, push_service: PushService, change: dict[str, Any], words: str
) -> None:
    book = await paired(client)
    body = PushDevice(push_service).subscription() | change
    refused = await client.put(_url(book, "/subscription"), json=body, headers=book.joiner.auth)
    assert words in problem(refused, 422)["detail"]
    await _unchanged(client, book)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"notices": ["words"]}, "'notices.0'"),
        ({"notices": ["new"], "quiet": {"start": "25:00", "end": "07:00", "zone": "UTC"}}, "HH:MM"),
        (
            {"notices": ["new"], "quiet": {"start": "22:00", "end": "07:00", "zone": "Mars/Base"}},
            "IANA",
        ),
        (
            {"notices": ["new"], "quiet": {"start": "22:00", "end": "07:00", "zone": "../etc"}},
            "IANA",
        ),
        ({"notices": ["new"], "extra": True}, "'extra' is not expected"),
    ],
)
async def test_preferences_that_make_no_sense_are_refused(
    client: httpx.AsyncClient, body: dict[str, Any], words: str
) -> None:
    book = await paired(client)
    refused = await client.put(_url(book, "/preferences"), json=body, headers=book.joiner.auth)
    assert words in problem(refused, 422)["detail"]
    await _unchanged(client, book)


async def test_a_pending_joiner_cannot_subscribe(
    client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = Book()
    await create(client, book)
    await claim(client, book, await invite(client, book))
    body = PushDevice(push_service).subscription()
    refused = await client.put(_url(book, "/subscription"), json=body, headers=book.joiner.auth)
    problem(refused, 403)


async def test_unsubscribing_keeps_the_choices(
    client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    body = PushDevice(push_service).subscription()
    assert (
        await client.put(_url(book, "/subscription"), json=body, headers=book.joiner.auth)
    ).status_code == 200
    chosen = {"notices": ["ready"], "quiet": None}
    assert (
        await client.put(_url(book, "/preferences"), json=chosen, headers=book.joiner.auth)
    ).status_code == 200
    gone = await client.delete(_url(book, "/subscription"), headers=book.joiner.auth)
    assert gone.status_code == 204
    shown = (await client.get(_url(book), headers=book.joiner.auth)).json()
    assert shown == {"subscribed": False, "notices": ["ready"], "quiet": None}
    # The partner's device has its own row: nothing of James's choice shows for Ella.
    theirs = (await client.get(_url(book), headers=book.creator.auth)).json()
    assert theirs["notices"] == ["new", "pen", "ready", "pause-ended"]
