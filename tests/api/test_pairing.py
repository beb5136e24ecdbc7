"""The whole pairing flow of protocol.md, with real keys, boxes and signatures."""

import hashlib
import hmac
import json
import os

import httpx

from api.helpers import (
    Book,
    Invite,
    aad,
    b64,
    chain_hash,
    claim,
    create,
    invite,
    lp,
    new_id,
    notebook,
    open_box,
    paired,
    passing,
    problem,
    unb64,
    write,
)


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}


async def test_two_partners_pair_and_write_in_turns(client: httpx.AsyncClient) -> None:
    book = Book()
    created = await create(client, book)
    assert created.status_code == 201
    assert created.json()["device_id"] == book.creator.id
    assert created.json()["notebook_id"] == book.id

    first = await notebook(client, book, book.creator)
    assert first["pen"] == first["me"] == book.creator.member_id
    assert first["head"] == {"seq": 1, "hash": b64(bytes(32))}
    assert not first["sealed"] and first["mode"] == "turns" and first["chapter"] == 1

    made = await invite(client, book)
    claimed = await claim(client, book, made)
    assert claimed.status_code == 201
    bundle = open_box(
        made.key("invite-wrap"), unb64(claimed.json()["bundle"]), aad("invite", made.id)
    )
    assert json.loads(bundle)["notebook_id"] == claimed.json()["notebook_id"] == book.id

    profile = book.profile(book.joiner, "James")
    url = f"/v1/notebooks/{book.id}/profile"
    assert (await client.put(url, json=profile, headers=book.joiner.auth)).status_code == 204

    waiting = await notebook(client, book, book.creator)
    joiner = next(m for m in waiting["members"] if m["id"] == book.joiner.member_id)
    assert (joiner["role"], joiner["state"]) == ("partner", "pending")
    assert joiner["profile"]["ct"] == profile["ct"] and joiner["devices"][0]["key"] == b64(
        book.joiner.public
    )
    # The creator checks key_mac with its own mac key: a swapped-in device key would fail here.
    expected = hmac.new(
        made.key("invite-mac"), lp("unspoken/v1/joiner", made.id, book.joiner.public), "sha256"
    )
    assert hmac.compare_digest(unb64(joiner["key_mac"]), expected.digest())

    url = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/approve"
    approved = await client.post(url, headers=book.creator.auth)
    assert approved.status_code == 200 and approved.json()["sealed"]

    written = await write(client, book, book.creator, "I never meant for things to end this way")
    assert written.status_code == 201
    url = f"/v1/notebooks/{book.id}/pen/pass"
    passed = await client.post(url, headers=passing(book, book.creator))
    assert passed.json()["pen"] == book.joiner.member_id
    answer = await write(client, book, book.joiner, "Neither did I")
    assert answer.status_code == 201

    records = await client.get(f"/v1/notebooks/{book.id}/records", headers=book.joiner.auth)
    body = records.json()
    kinds = [r["kind"] for r in body["records"]]
    assert kinds == [
        "notebook.created",
        "member.joined",
        "profile.updated",
        "member.approved",
        "entry",
        "pen.passed",
        "entry",
    ]
    assert [r["seq"] for r in body["records"]] == list(range(1, 8)) and body["head_seq"] == 7
    assert body["records"][5]["to"] == book.joiner.member_id


async def test_entries_chain_and_open_for_the_partner(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    first = await write(client, book, book.creator, "one")
    second = await write(client, book, book.creator, "two")
    records = (
        await client.get(f"/v1/notebooks/{book.id}/records?after=4", headers=book.joiner.auth)
    ).json()
    prev = bytes(32)
    for record, answer in zip(records["records"], (first, second), strict=True):
        additional = aad(
            "entry", book.id, str(record["chapter"]), record["id"], record["device"], prev
        )
        box, sig = unb64(record["ct"]), unb64(record["sig"])
        assert unb64(record["prev"]) == prev
        assert unb64(record["hash"]) == chain_hash(additional, box, sig)
        assert record["hash"] == answer.json()["hash"] and record["seq"] == answer.json()["seq"]
        assert json.loads(open_box(book.ck, box, additional))["type"] == "text"
        prev = unb64(record["hash"])
    assert hashlib.sha256(b"").digest() != prev


async def test_decline_frees_the_place_for_a_new_invite(client: httpx.AsyncClient) -> None:
    book = Book()
    await create(client, book)
    assert (await claim(client, book, await invite(client, book))).status_code == 201
    url = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/decline"
    declined = await client.post(url, headers=book.creator.auth)
    assert declined.status_code == 200 and len(declined.json()["members"]) == 1
    gone = await client.get(f"/v1/notebooks/{book.id}", headers=book.joiner.auth)
    assert gone.status_code == 404
    # The declined joiner opened the bundle: no new invite under the key they saw.
    made = Invite(new_id(), os.urandom(32))
    url = f"/v1/notebooks/{book.id}/invites"
    refused = await client.post(url, json=book.invite_body(made), headers=book.creator.auth)
    assert problem(refused, 409)["epoch"] == 0
    body = book.epoch_body(book.creator, 1, [book.creator])
    renewed = await client.post(
        f"/v1/notebooks/{book.id}/epochs", json=body, headers=book.creator.auth
    )
    assert renewed.status_code == 201 and renewed.json()["epoch"] == 1
    book.joiner = type(book.joiner)()
    assert (await claim(client, book, await invite(client, book))).status_code == 201
