"""Every refusal in protocol.md: the right status, problem+json, a plain detail, no change."""

import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from api.helpers import (
    Book,
    Device,
    Invite,
    b64,
    claim,
    create,
    invite,
    new_id,
    paired,
    passing,
    problem,
    unb64,
    write,
)
from conftest import Clock

Snapshot = tuple[dict[str, Any], list[dict[str, Any]]]


async def snapshot(http: httpx.AsyncClient, book: Book) -> Snapshot:
    auth = book.creator.auth
    view = (await http.get(f"/v1/notebooks/{book.id}", headers=auth)).json()
    records = (await http.get(f"/v1/notebooks/{book.id}/records", headers=auth)).json()
    return view, records["records"]


async def refused(
    http: httpx.AsyncClient, book: Book, status: int, call: Callable[[], Awaitable[httpx.Response]]
) -> dict[str, Any]:
    """Run a call that must be refused and check that it changed nothing."""
    before = await snapshot(http, book)
    body = problem(await call(), status)
    assert await snapshot(http, book) == before
    return body


@pytest.fixture
async def book(client: httpx.AsyncClient) -> Book:
    return await paired(client)


def entries(book: Book) -> str:
    return f"/v1/notebooks/{book.id}/entries"


async def test_no_token_is_401(client: httpx.AsyncClient, book: Book) -> None:
    await refused(client, book, 401, lambda: client.get(f"/v1/notebooks/{book.id}"))


@pytest.mark.parametrize("token", [b64(os.urandom(32)), "not base64!", "", "a" * 500])
async def test_unknown_token_is_401(client: httpx.AsyncClient, book: Book, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    body = book.entry_body(book.creator, "x", bytes(32))
    await refused(client, book, 401, lambda: client.post(entries(book), json=body, headers=headers))


async def test_a_notebook_you_do_not_belong_to_is_404(
    client: httpx.AsyncClient, book: Book
) -> None:
    other = Book()
    await create(client, other)
    await refused(
        client,
        book,
        404,
        lambda: client.get(f"/v1/notebooks/{book.id}", headers=other.creator.auth),
    )
    await refused(
        client,
        book,
        404,
        lambda: client.get(f"/v1/notebooks/{new_id()}", headers=book.creator.auth),
    )


async def test_a_wrong_claim_is_403(client: httpx.AsyncClient) -> None:
    book = Book()
    await create(client, book)
    made = await invite(client, book)
    wrong = Invite(made.id, os.urandom(32))
    await refused(client, book, 403, lambda: claim(client, book, wrong))
    assert (await claim(client, book, made)).status_code == 201


async def test_creator_only_actions_are_403_for_the_partner(client: httpx.AsyncClient) -> None:
    book = Book()
    await create(client, book)
    made = await invite(client, book)
    await claim(client, book, made)
    nb, joiner = f"/v1/notebooks/{book.id}", book.joiner
    body = book.invite_body(Invite(new_id(), os.urandom(32)))
    await refused(
        client, book, 403, lambda: client.post(f"{nb}/invites", json=body, headers=joiner.auth)
    )
    await refused(
        client, book, 403, lambda: client.delete(f"{nb}/invites/{made.id}", headers=joiner.auth)
    )
    for action in ("approve", "decline"):
        url = f"{nb}/members/{joiner.member_id}/{action}"
        await refused(client, book, 403, lambda url=url: client.post(url, headers=joiner.auth))


async def test_a_pending_joiner_cannot_read_or_write(client: httpx.AsyncClient) -> None:
    book = Book()
    await create(client, book)
    await claim(client, book, await invite(client, book))
    auth = book.joiner.auth
    await refused(
        client, book, 403, lambda: client.get(f"/v1/notebooks/{book.id}/records", headers=auth)
    )
    body = book.entry_body(book.joiner, "let me in", bytes(32))
    await refused(client, book, 403, lambda: client.post(entries(book), json=body, headers=auth))


async def test_used_revoked_and_expired_invites_are_410(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = Book()
    await create(client, book)
    revoked = await invite(client, book)
    url = f"/v1/notebooks/{book.id}/invites/{revoked.id}"
    assert (await client.delete(url, headers=book.creator.auth)).status_code == 204
    await refused(client, book, 410, lambda: claim(client, book, revoked))

    replaced = await invite(client, book)
    await invite(client, book)  # a new invite replaces an open older one
    await refused(client, book, 410, lambda: claim(client, book, replaced))

    expiring = await invite(client, book)
    clock.advance(hours=24)
    await refused(client, book, 410, lambda: claim(client, book, expiring))

    clock.advance(hours=-24, seconds=-1)
    used = await invite(client, book)
    assert (await claim(client, book, used)).status_code == 201
    await refused(client, book, 410, lambda: claim(client, book, used, Device()))


async def test_a_second_joiner_waits_and_a_third_is_refused_after_sealing(
    client: httpx.AsyncClient,
) -> None:
    book = Book()
    await create(client, book)
    assert (await claim(client, book, await invite(client, book))).status_code == 201
    spare = await invite(client, book)
    await refused(client, book, 409, lambda: claim(client, book, spare, Device()))
    url = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/approve"
    assert (await client.post(url, headers=book.creator.auth)).status_code == 200
    await refused(client, book, 409, lambda: claim(client, book, spare, Device()))
    body = book.invite_body(Invite(new_id(), os.urandom(32)))
    post = client.post
    await refused(
        client,
        book,
        409,
        lambda: post(f"/v1/notebooks/{book.id}/invites", json=body, headers=book.creator.auth),
    )


async def test_an_append_on_an_old_head_is_409_with_the_head(
    client: httpx.AsyncClient, book: Book
) -> None:
    assert (await write(client, book, book.creator, "first")).status_code == 201
    body = book.entry_body(book.creator, "late", bytes(32))
    answer = await refused(
        client, book, 409, lambda: client.post(entries(book), json=body, headers=book.creator.auth)
    )
    view, _ = await snapshot(client, book)
    assert answer["head"] == view["head"] and answer["head"]["seq"] == 5


async def test_a_write_without_the_pen_is_409_with_the_pen(
    client: httpx.AsyncClient, book: Book
) -> None:
    view, _ = await snapshot(client, book)
    body = book.entry_body(book.joiner, "my turn?", unb64(view["head"]["hash"]))
    answer = await refused(
        client, book, 409, lambda: client.post(entries(book), json=body, headers=book.joiner.auth)
    )
    assert answer["pen"] == book.creator.member_id
    url = f"/v1/notebooks/{book.id}/pen/pass"
    passed = passing(book, book.joiner)
    await refused(client, book, 409, lambda: client.post(url, headers=passed))


async def test_an_entry_outside_the_open_chapter_is_409(
    client: httpx.AsyncClient, book: Book
) -> None:
    view, _ = await snapshot(client, book)
    body = book.entry_body(book.creator, "ahead", unb64(view["head"]["hash"]), chapter=2)
    await refused(
        client, book, 409, lambda: client.post(entries(book), json=body, headers=book.creator.auth)
    )


async def test_reused_ids_are_409(client: httpx.AsyncClient, book: Book) -> None:
    again = Book(id=book.id)
    await refused(client, book, 409, lambda: client.post("/v1/notebooks", json=again.create_body()))

    view, _ = await snapshot(client, book)
    first = book.entry_body(book.creator, "mine", unb64(view["head"]["hash"]))
    assert (
        await client.post(entries(book), json=first, headers=book.creator.auth)
    ).status_code == 201
    passed = await client.post(
        f"/v1/notebooks/{book.id}/pen/pass", headers=passing(book, book.creator)
    )
    assert passed.status_code == 200, passed.text
    view, _ = await snapshot(client, book)
    stolen = book.entry_body(
        book.joiner, "same id", unb64(view["head"]["hash"]), entry_id=first["id"]
    )
    await refused(
        client, book, 409, lambda: client.post(entries(book), json=stolen, headers=book.joiner.auth)
    )


async def test_a_reused_invite_id_is_409(client: httpx.AsyncClient) -> None:
    book, other = Book(), Book()
    await create(client, book)
    await create(client, other)
    made = await invite(client, book)
    body = other.invite_body(made)
    url = f"/v1/notebooks/{other.id}/invites"
    problem(await client.post(url, json=body, headers=other.creator.auth), 409)
    assert (await claim(client, book, made)).status_code == 201


async def test_a_bad_signature_is_422(client: httpx.AsyncClient, book: Book) -> None:
    view, _ = await snapshot(client, book)
    body = book.entry_body(book.creator, "forged", unb64(view["head"]["hash"]))
    body["sig"] = b64(book.joiner.sign(b"other", b"bytes"))
    answer = await refused(
        client, book, 422, lambda: client.post(entries(book), json=body, headers=book.creator.auth)
    )
    assert answer["detail"] == "The signature does not match this device's key."
    profile = book.profile(book.creator, "Ella")
    profile["ct"] = book.profile(book.creator, "Eve")["ct"]
    url = f"/v1/notebooks/{book.id}/profile"
    await refused(
        client, book, 422, lambda: client.put(url, json=profile, headers=book.creator.auth)
    )


async def test_a_box_over_64_kib_is_413(client: httpx.AsyncClient, book: Book) -> None:
    view, _ = await snapshot(client, book)
    body = book.entry_body(book.creator, "big", unb64(view["head"]["hash"]))
    body["ct"] = b64(b"\x01" + os.urandom(65536))
    await refused(
        client, book, 413, lambda: client.post(entries(book), json=body, headers=book.creator.auth)
    )


async def test_a_body_over_256_kib_is_413(client: httpx.AsyncClient, book: Book) -> None:
    padding = "x" * (256 * 1024)
    content = ('{"pad": "' + padding + '"}').encode()
    headers = {**book.creator.auth, "Content-Type": "application/json"}
    await refused(
        client, book, 413, lambda: client.post(entries(book), content=content, headers=headers)
    )

    async def chunks() -> Any:
        for _ in range(5):
            yield b" " * (64 * 1024)

    await refused(
        client, book, 413, lambda: client.post(entries(book), content=chunks(), headers=headers)
    )


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"id": ', "The request body is not valid JSON."),
        (b"[1, 2]", "The request body must be a JSON object"),
        (
            b'{"id": 7, "chapter": 1, "prev": "", "ct": "", "sig": ""}',
            "The field 'id' must be base64url text.",
        ),
        (b'{"chapter": "one"}', "The field 'chapter' must be a whole number."),
    ],
)
async def test_malformed_bodies_are_422(
    client: httpx.AsyncClient, book: Book, content: bytes, detail: str
) -> None:
    headers = {**book.creator.auth, "Content-Type": "application/json"}
    answer = await refused(
        client, book, 422, lambda: client.post(entries(book), content=content, headers=headers)
    )
    assert detail in answer["detail"]


async def test_an_unknown_invite_is_404(client: httpx.AsyncClient, book: Book) -> None:
    made = Invite(new_id(), os.urandom(32))
    await refused(client, book, 404, lambda: claim(client, book, made, Device()))
