"""Looking at an invite before joining: only the link's holder is answered, and nothing moves."""

import os

import httpx

from api.helpers import Book, Invite, aad, b64, claim, create, invite, new_id, problem, seal
from conftest import Clock


def look(http: httpx.AsyncClient, made: Invite, proof: bytes | None = None) -> object:
    headers = {} if proof is None else {"Invite-Claim": b64(proof)}
    return http.get(f"/v1/invites/{made.id}", headers=headers)


async def test_the_holder_learns_it_is_open_and_reads_the_greeting(
    client: httpx.AsyncClient,
) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    made = Invite(new_id(), os.urandom(32))
    body = book.invite_body(made)
    greeting = seal(made.key("invite-wrap"), b'{"name":"Ella"}', aad("invite-greeting", made.id))
    body["greeting"] = b64(greeting)
    url = f"/v1/notebooks/{book.id}/invites"
    assert (await client.post(url, json=body, headers=book.creator.auth)).status_code == 201

    looked = await look(client, made, made.key("invite-claim"))
    assert looked.status_code == 200, looked.text
    assert looked.headers["cache-control"] == "no-store"
    assert set(looked.json()) == {"expires_at", "greeting"}
    assert looked.json()["greeting"] == b64(greeting)
    # Looking uses nothing up: the link still claims.
    assert (await look(client, made, made.key("invite-claim"))).status_code == 200
    assert (await claim(client, book, made)).status_code == 201


async def test_an_invite_without_greeting_answers_none(client: httpx.AsyncClient) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    made = await invite(client, book)
    looked = await look(client, made, made.key("invite-claim"))
    assert looked.status_code == 200 and looked.json()["greeting"] is None


async def test_without_the_secret_it_is_as_if_there_were_no_invite(
    client: httpx.AsyncClient,
) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    made = await invite(client, book)
    nowhere = Invite(new_id(), made.secret)
    answers = [
        await look(client, made),  # no proof at all
        await look(client, made, os.urandom(32)),  # a tampered secret
        await look(client, made, made.key("invite-claim")[:16]),  # a short one
        await look(client, nowhere, nowhere.key("invite-claim")),  # no such invite
    ]
    bodies = [problem(answer, 404) for answer in answers]
    assert all(body == bodies[-1] for body in bodies), bodies
    assert "greeting" not in str(bodies) and "expires" not in str(bodies)
    garbled = await client.get(f"/v1/invites/{made.id}", headers={"Invite-Claim": "not b64!"})
    problem(garbled, 404)


async def test_a_used_invite_is_refused_before_the_form(client: httpx.AsyncClient) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    made = await invite(client, book)
    assert (await claim(client, book, made)).status_code == 201
    used = problem(await look(client, made, made.key("invite-claim")), 410)
    assert used["type"].endswith("invite-used")
    # A wrong secret still learns nothing, not even that it was used.
    problem(await look(client, made, os.urandom(32)), 404)


async def test_withdrawn_and_expired_invites_are_gone(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    first = await invite(client, book)
    second = await invite(client, book)  # a new invite withdraws the open one
    revoked = problem(await look(client, first, first.key("invite-claim")), 410)
    assert revoked["type"].endswith("invite-revoked")
    clock.advance(days=30)
    expired = problem(await look(client, second, second.key("invite-claim")), 410)
    assert expired["type"].endswith("invite-expired")


async def test_a_greeting_must_be_a_box(client: httpx.AsyncClient) -> None:
    book = Book()
    assert (await create(client, book)).status_code == 201
    made = Invite(new_id(), os.urandom(32))
    body = book.invite_body(made) | {"greeting": "nope"}
    url = f"/v1/notebooks/{book.id}/invites"
    problem(await client.post(url, json=body, headers=book.creator.auth), 422)
