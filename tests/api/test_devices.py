"""A partner's second device, revocation and key epochs, through the HTTP API of protocol.md."""

import json
import os
from typing import Any

import httpx

from api.helpers import (
    Book,
    Device,
    aad,
    b64,
    claim,
    claim_link,
    create,
    invite,
    link_device,
    lp,
    new_id,
    notebook,
    open_link,
    paired,
    problem,
    records,
    seal_in_epoch,
    unb64,
    write,
)
from conftest import Clock


async def _revoke(
    http: httpx.AsyncClient,
    book: Book,
    by: Device,
    gone: Device,
    recipients: list[Device],
    n: int = 1,
) -> httpx.Response:
    # v2: the revocation signs the epoch it begins (a v1 signature is refused, below).
    sig = by.key.sign(lp("unspoken/v2/device-revoke", book.id, by.member_id, gone.id, str(n)))
    body = {"sig": b64(sig), "epoch": book.epoch_body(by, n, recipients)}
    url = f"/v1/notebooks/{book.id}/devices/{gone.id}/revoke"
    return await http.post(url, json=body, headers=by.auth)


def _entry_in_epoch(book: Book, device: Device, prev: bytes, key: bytes, epoch: int) -> Any:
    entry_id = new_id()
    additional = aad("entry", book.id, "1", entry_id, device.id, prev)
    plain = json.dumps({"type": "text", "text": "after"}).encode()
    box = seal_in_epoch(key, plain, additional, epoch)
    return {
        "id": entry_id,
        "chapter": 1,
        "prev": b64(prev),
        "ct": b64(box),
        "sig": b64(device.sign(additional, box)),
    }


async def test_a_linked_device_writes_and_the_partner_is_told(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = await paired(client)
    clock.advance(seconds=1)  # devices are listed as added; the frozen clock would tie the two
    phone, approved = await link_device(client, book, book.creator)
    assert approved.status_code == 200, approved.text
    mine = next(m for m in approved.json()["members"] if m["id"] == book.creator.member_id)
    assert [d["id"] for d in mine["devices"]] == [book.creator.id, phone.id]
    assert mine["devices"][1]["added_by"] == book.creator.id and mine["devices"][1]["cert"]
    assert phone.member_id == book.creator.member_id
    assert (await write(client, book, phone, "from the phone")).status_code == 201
    told = [r for r in await records(client, book, book.joiner) if r["kind"] == "device.added"]
    assert len(told) == 1 and told[0]["member"] == book.creator.member_id
    assert told[0]["device"] == phone.id and unb64(told[0]["key"]) == phone.public
    assert told[0]["by"] == book.creator.id and told[0]["exchange_key"]["key"]


async def test_a_new_device_waits_until_let_in_and_only_it_sees_the_package(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    made, phone = await open_link(client, book, book.creator), Device()
    assert (await claim_link(client, book, made, phone)).status_code == 201
    waiting = await client.get(f"/v1/notebooks/{book.id}", headers=phone.auth)
    assert problem(waiting, 403)["title"] == "Waiting for your other device"
    url = f"/v1/notebooks/{book.id}/links/{made.id}"
    seen = (await client.get(url, headers=book.creator.auth)).json()
    assert seen["state"] == "claimed" and seen["device"]["id"] == phone.id
    assert seen["device"]["key_mac"] and seen["package"] is None
    assert (await client.get(url, headers=book.joiner.auth)).status_code == 404
    again = await claim_link(client, book, made, Device())
    assert problem(again, 410)


async def test_revocation_cuts_the_token_and_begins_a_new_epoch(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    phone, _ = await link_device(client, book, book.creator)
    answer = await _revoke(client, book, book.creator, phone, [book.creator, book.joiner])
    assert answer.status_code == 200, answer.text
    assert answer.json()["epoch"] == 1
    gone = await client.get(f"/v1/notebooks/{book.id}", headers=phone.auth)
    assert problem(gone, 401)["title"] == "Device revoked"
    kinds = [r["kind"] for r in await records(client, book, book.joiner)]
    assert kinds[-2:] == ["device.revoked", "epoch.started"]
    keys = (await client.get(f"/v1/notebooks/{book.id}/keys", headers=book.joiner.auth)).json()
    assert keys["epoch"] == 1 and [k["epoch"] for k in keys["keys"]] == [1]
    assert keys["keys"][0]["by"] == book.creator.id
    head = unb64((await notebook(client, book, book.creator))["head"]["hash"])
    url = f"/v1/notebooks/{book.id}/entries"
    old = await write(client, book, book.creator, "under the old key")
    assert problem(old, 409)["epoch"] == 1
    fresh = _entry_in_epoch(book, book.creator, head, os.urandom(32), 1)
    assert (await client.post(url, json=fresh, headers=book.creator.auth)).status_code == 201


async def test_what_revocation_refuses(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    phone, _ = await link_device(client, book, book.creator)
    both = [book.creator, book.joiner]
    own = await _revoke(client, book, book.creator, book.creator, [phone, book.joiner])
    assert problem(own, 409)["title"] == "This device"
    partners = await _revoke(client, book, book.joiner, book.creator, [phone, book.joiner])
    assert problem(partners, 404)
    short = await _revoke(client, book, book.creator, phone, [book.creator])
    assert problem(short, 409)["devices"] == sorted([book.creator.id, book.joiner.id])
    extra = await _revoke(client, book, book.creator, phone, [*both, phone])
    assert problem(extra, 409)
    skipped = await _revoke(client, book, book.creator, phone, both, n=2)
    assert problem(skipped, 409)["epoch"] == 0
    sig = book.creator.key.sign(b"something else")
    body = {"sig": b64(sig), "epoch": book.epoch_body(book.creator, 1, both)}
    url = f"/v1/notebooks/{book.id}/devices/{phone.id}/revoke"
    assert problem(await client.post(url, json=body, headers=book.creator.auth), 422)
    body = {
        "sig": b64(
            book.creator.key.sign(
                lp("unspoken/v2/device-revoke", book.id, book.creator.member_id, phone.id, "1")
            )
        ),
        "epoch": book.epoch_body(book.joiner, 1, both),
    }  # wraps signed by another device
    assert problem(await client.post(url, json=body, headers=book.creator.auth), 422)
    assert (await client.get(f"/v1/notebooks/{book.id}", headers=phone.auth)).status_code == 200


async def test_a_revocation_must_sign_the_epoch_it_begins(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    phone, _ = await link_device(client, book, book.creator)
    both = [book.creator, book.joiner]
    url = f"/v1/notebooks/{book.id}/devices/{phone.id}/revoke"
    member = book.creator.member_id
    v1 = lp("unspoken/v1/device-revoke", book.id, member, phone.id)
    moved = lp("unspoken/v2/device-revoke", book.id, member, phone.id, "2")
    for message in (v1, moved):
        body = {
            "sig": b64(book.creator.key.sign(message)),
            "epoch": book.epoch_body(book.creator, 1, both),
        }
        answer = await client.post(url, json=body, headers=book.creator.auth)
        assert "epoch" in problem(answer, 422)["detail"]
    assert (await client.get(f"/v1/notebooks/{book.id}", headers=phone.auth)).status_code == 200


async def test_what_linking_refuses(client: httpx.AsyncClient) -> None:
    alone = Book()
    await create(client, alone)
    body = {"id": new_id(), "claim_hash": b64(os.urandom(32))}
    early = await client.post(
        f"/v1/notebooks/{alone.id}/links", json=body, headers=alone.creator.auth
    )
    assert problem(early, 409)["title"] == "Partner first"
    book = await paired(client)
    made, phone = await open_link(client, book, book.creator), Device()
    made.secret = os.urandom(32)  # a claim that does not match
    assert problem(await claim_link(client, book, made, phone), 403)
    made = await open_link(client, book, book.creator)
    assert (await claim_link(client, book, made, phone)).status_code == 201
    forged = book.joiner.key.sign(
        lp("unspoken/v1/device-cert", book.id, book.creator.member_id, phone.public)
    )
    body = {"cert": b64(forged), "package": b64(b"\x01" + os.urandom(300)), "epoch": 0}
    url = f"/v1/notebooks/{book.id}/links/{made.id}/approve"
    assert problem(await client.post(url, json=body, headers=book.creator.auth), 422)
    stale = await link_device(client, book, book.creator, epoch=1)
    assert problem(stale[1], 409)["epoch"] == 0


async def test_an_old_device_publishes_its_exchange_key_once(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/exchange-key"
    again = await client.put(url, json=book.joiner.exchange_key(book.id), headers=book.joiner.auth)
    assert problem(again, 409)
    forged = {**book.joiner.exchange_key(book.id), "key": b64(os.urandom(32))}
    assert problem(await client.put(url, json=forged, headers=book.joiner.auth), 422)


async def test_a_notebook_from_before_exchange_keys_gets_new_keys_once_they_are_published(
    client: httpx.AsyncClient,
) -> None:
    book = Book()
    body = book.create_body()
    del body["exchange_key"]  # the shape of every notebook made before devices and epochs
    made = await client.post("/v1/notebooks", json=body)
    assert made.status_code == 201
    book.creator.token, book.creator.member_id = made.json()["token"], made.json()["member_id"]
    assert (await claim(client, book, await invite(client, book))).status_code == 201
    decline = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/decline"
    assert (await client.post(decline, headers=book.creator.auth)).status_code == 200
    epoch = book.epoch_body(book.creator, 1, [book.creator])
    url = f"/v1/notebooks/{book.id}/epochs"
    waiting = await client.post(url, json=epoch, headers=book.creator.auth)
    assert problem(waiting, 409)["devices"] == [book.creator.id]  # no key to wrap for yet
    publish = f"/v1/notebooks/{book.id}/exchange-key"
    key = book.creator.exchange_key(book.id)
    assert (await client.put(publish, json=key, headers=book.creator.auth)).status_code == 204
    assert (await client.post(url, json=epoch, headers=book.creator.auth)).status_code == 201


async def test_another_notebooks_link_is_not_found(client: httpx.AsyncClient) -> None:
    book, other = await paired(client), await paired(client)
    made = await open_link(client, other, other.creator)
    assert (await claim_link(client, other, made, Device())).status_code == 201
    body = {"cert": b64(os.urandom(64)), "package": b64(b"\x01" + os.urandom(300)), "epoch": 0}
    url = f"/v1/notebooks/{book.id}/links/{made.id}/approve"
    assert problem(await client.post(url, json=body, headers=book.creator.auth), 404)
    for path in ("", "/decline"):
        url = f"/v1/notebooks/{book.id}/links/{made.id}{path}"
        answer = await (
            client.get(url, headers=book.creator.auth)
            if not path
            else client.post(url, headers=book.creator.auth)
        )
        assert problem(answer, 404)
