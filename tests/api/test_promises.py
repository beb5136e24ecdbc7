"""Promises and agreements: every step, and every refusal changes nothing."""

import httpx

from api.helpers import Book, Unchanged, aad, b64, item, new_id, paired, problem, unb64

PROMISE = "I'll never keep anything from you again"


async def _promise(client: httpx.AsyncClient, book: Book) -> dict[str, object]:
    body = item(book, book.joiner, "promise", {"text": PROMISE})
    made = await client.post(
        f"/v1/notebooks/{book.id}/promises", json=body, headers=book.joiner.auth
    )
    assert made.status_code == 201, made.text
    answer: dict[str, object] = made.json()
    return answer


async def test_a_promise_is_made_acknowledged_and_marked_with_its_history(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    made = await _promise(client, book)
    assert (made["by"], made["to"], made["state"]) == (
        book.joiner.member_id,
        book.creator.member_id,
        "made",
    )
    base = f"/v1/notebooks/{book.id}/promises/{made['id']}"
    acked = await client.post(f"{base}/acknowledge", headers=book.creator.auth)
    assert acked.json()["state"] == "acknowledged"
    note = item(book, book.creator, "promise-note", {"text": "You did."}, ref=str(made["id"]))
    kept = await client.post(
        f"{base}/mark", json={"outcome": "kept", "note": note}, headers=book.creator.auth
    )
    assert kept.json()["state"] == "kept"
    broken = await client.post(
        f"{base}/mark", json={"outcome": "broken"}, headers=book.creator.auth
    )
    assert broken.json()["state"] == "broken"
    listing = (
        await client.get(f"/v1/notebooks/{book.id}/promises", headers=book.joiner.auth)
    ).json()
    [promise] = listing["promises"]
    assert [r["kind"] for r in promise["history"]] == [
        "promise.made",
        "promise.acknowledged",
        "promise.marked",
        "promise.marked",
    ]
    assert [r.get("outcome") for r in promise["history"][2:]] == ["kept", "broken"]
    assert promise["history"][2]["note"]["id"] == note["id"]


async def test_promise_refusals_change_nothing(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    made = await _promise(client, book)
    base = f"/v1/notebooks/{book.id}/promises/{made['id']}"
    cases = [
        (book.joiner, "acknowledge", None, 409),  # only the one it was made to
        (book.creator, "mark", {"outcome": "kept"}, 409),  # not acknowledged yet
        (book.creator, "withdraw", None, 409),  # only the promiser withdraws
        (book.creator, "mark", {"outcome": "forgotten"}, 422),
    ]
    for device, action, body, status in cases:
        async with Unchanged(client, book):
            problem(await client.post(f"{base}/{action}", json=body, headers=device.auth), status)
    await client.post(f"{base}/acknowledge", headers=book.creator.auth)
    late = [
        (book.joiner, "withdraw", None, 409),  # too late once acknowledged
        (book.joiner, "mark", {"outcome": "kept"}, 409),  # only the one it was made to
        (book.creator, "acknowledge", None, 409),  # already acknowledged
    ]
    for device, action, body, status in late:
        async with Unchanged(client, book):
            problem(await client.post(f"{base}/{action}", json=body, headers=device.auth), status)
    unknown = f"/v1/notebooks/{book.id}/promises/{new_id()}/acknowledge"
    problem(await client.post(unknown, headers=book.creator.auth), 404)


async def test_a_promise_withdrawn_before_acknowledgement_and_a_forged_one(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    made = await _promise(client, book)
    url = f"/v1/notebooks/{book.id}/promises/{made['id']}/withdraw"
    assert (await client.post(url, headers=book.joiner.auth)).json()["state"] == "withdrawn"
    released = f"/v1/notebooks/{book.id}/promises/{made['id']}/mark"
    problem(
        await client.post(released, json={"outcome": "released"}, headers=book.creator.auth), 409
    )
    forged = item(book, book.creator, "promise", {"text": "not mine"})
    async with Unchanged(client, book):
        url = f"/v1/notebooks/{book.id}/promises"
        problem(await client.post(url, json=forged, headers=book.joiner.auth), 422)
    again = item(book, book.joiner, "promise", {"text": "again"}, item_id=str(made["id"]))
    async with Unchanged(client, book):
        problem(await client.post(url, json=again, headers=book.joiner.auth), 409)


async def test_an_agreement_is_agreed_only_when_both_have_signed(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    text = item(book, book.creator, "agreement", {"text": "Let's try."})
    url = f"/v1/notebooks/{book.id}/agreements"
    proposed = (await client.post(url, json=text, headers=book.creator.auth)).json()
    assert proposed["state"] == "proposed" and len(proposed["signatures"]) == 1
    sign = f"{url}/{text['id']}/sign"
    additional = aad("item", book.id, "agreement", text["id"], "", book.creator.id)
    good = b64(book.joiner.sign(additional, unb64(text["ct"])))
    async with Unchanged(client, book):
        own = b64(book.creator.sign(additional, unb64(text["ct"])))
        problem(await client.post(sign, json={"sig": own}, headers=book.creator.auth), 409)
    async with Unchanged(client, book):
        bad = b64(book.joiner.sign(additional + b"x", unb64(text["ct"])))
        problem(await client.post(sign, json={"sig": bad}, headers=book.joiner.auth), 422)
    agreed = await client.post(sign, json={"sig": good}, headers=book.joiner.auth)
    assert agreed.json()["state"] == "agreed" and agreed.json()["agreed_at"]
    assert [s["member"] for s in agreed.json()["signatures"]] == [
        book.creator.member_id,
        book.joiner.member_id,
    ]
    async with Unchanged(client, book):
        problem(await client.post(sign, json={"sig": good}, headers=book.joiner.auth), 409)
    listing = (await client.get(url, headers=book.creator.auth)).json()["agreements"]
    assert [a["state"] for a in listing] == ["agreed"]
    problem(
        await client.post(f"{url}/{new_id()}/sign", json={"sig": good}, headers=book.joiner.auth),
        404,
    )
