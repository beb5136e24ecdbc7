"""Promises and agreements: every step, and every refusal changes nothing."""

from typing import Any

import httpx

from api.helpers import (
    Book,
    Device,
    Unchanged,
    aad,
    acting,
    b64,
    item,
    new_id,
    paired,
    problem,
    unb64,
    verify_act,
)

PROMISE = "I'll never keep anything from you again"


def _making(book: Book, device: Device, to: Device, text: dict[str, str]) -> dict[str, str]:
    return acting(book, device, ("promise.made", text["id"], to.member_id, text["id"]))


_KINDS = {
    "acknowledge": "promise.acknowledged",
    "withdraw": "promise.withdrawn",
    "mark": "promise.marked",
}


def _answering(
    book: Book, device: Device, promise: object, action: str, body: dict[str, Any] | None = None
) -> dict[str, str]:
    """The signed act of answering `promise`: acknowledge, withdraw, or mark (with `body`)."""
    outcome, note = "", ""
    if action == "mark" and body is not None:
        outcome, note = body["outcome"], body["note"]["id"] if body.get("note") else ""
    return acting(book, device, (_KINDS[action], str(promise), outcome, note))


async def _promise(client: httpx.AsyncClient, book: Book) -> dict[str, object]:
    body = item(book, book.joiner, "promise", {"text": PROMISE})
    made = await client.post(
        f"/v1/notebooks/{book.id}/promises",
        json=body,
        headers=_making(book, book.joiner, book.creator, body),
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
    acking = _answering(book, book.creator, made["id"], "acknowledge")
    acked = await client.post(f"{base}/acknowledge", headers=acking)
    assert acked.json()["state"] == "acknowledged"
    note = item(book, book.creator, "promise-note", {"text": "You did."}, ref=str(made["id"]))
    body = {"outcome": "kept", "note": note}
    marking = _answering(book, book.creator, made["id"], "mark", body)
    kept = await client.post(f"{base}/mark", json=body, headers=marking)
    assert kept.json()["state"] == "kept"
    body = {"outcome": "broken"}
    marking = _answering(book, book.creator, made["id"], "mark", body)
    broken = await client.post(f"{base}/mark", json=body, headers=marking)
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
        signed = _answering(book, device, made["id"], action, body)
        async with Unchanged(client, book):
            problem(await client.post(f"{base}/{action}", json=body, headers=signed), status)
    acking = _answering(book, book.creator, made["id"], "acknowledge")
    assert (await client.post(f"{base}/acknowledge", headers=acking)).status_code == 200
    late = [
        (book.joiner, "withdraw", None, 409),  # too late once acknowledged
        (book.joiner, "mark", {"outcome": "kept"}, 409),  # only the one it was made to
        (book.creator, "acknowledge", None, 409),  # already acknowledged
    ]
    for device, action, body, status in late:
        signed = _answering(book, device, made["id"], action, body)
        async with Unchanged(client, book):
            problem(await client.post(f"{base}/{action}", json=body, headers=signed), status)
    nobody = new_id()
    unknown = f"/v1/notebooks/{book.id}/promises/{nobody}/acknowledge"
    acking = _answering(book, book.creator, nobody, "acknowledge")
    problem(await client.post(unknown, headers=acking), 404)


async def test_a_promise_withdrawn_before_acknowledgement_and_a_forged_one(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    made = await _promise(client, book)
    url = f"/v1/notebooks/{book.id}/promises/{made['id']}/withdraw"
    withdrawing = _answering(book, book.joiner, made["id"], "withdraw")
    assert (await client.post(url, headers=withdrawing)).json()["state"] == "withdrawn"
    released = f"/v1/notebooks/{book.id}/promises/{made['id']}/mark"
    body = {"outcome": "released"}
    releasing = _answering(book, book.creator, made["id"], "mark", body)
    problem(await client.post(released, json=body, headers=releasing), 409)
    forged = item(book, book.creator, "promise", {"text": "not mine"})
    async with Unchanged(client, book):
        url = f"/v1/notebooks/{book.id}/promises"
        making = _making(book, book.joiner, book.creator, forged)
        problem(await client.post(url, json=forged, headers=making), 422)
    again = item(book, book.joiner, "promise", {"text": "again"}, item_id=str(made["id"]))
    async with Unchanged(client, book):
        making = _making(book, book.joiner, book.creator, again)
        problem(await client.post(url, json=again, headers=making), 409)


async def test_an_agreement_is_agreed_only_when_both_have_signed(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    text = item(book, book.creator, "agreement", {"text": "Let's try."})
    url = f"/v1/notebooks/{book.id}/agreements"
    proposing = acting(book, book.creator, ("agreement.proposed", text["id"], "", text["id"]))
    proposed = (await client.post(url, json=text, headers=proposing)).json()
    assert proposed["state"] == "proposed" and len(proposed["signatures"]) == 1
    sign = f"{url}/{text['id']}/sign"

    def signing(device: Device, agreement: str = text["id"]) -> dict[str, str]:
        return acting(book, device, ("agreement.signed", agreement, "", ""))

    additional = aad("item", book.id, "agreement", text["id"], "", book.creator.id)
    good = b64(book.joiner.sign(additional, unb64(text["ct"])))
    async with Unchanged(client, book):
        own = b64(book.creator.sign(additional, unb64(text["ct"])))
        problem(await client.post(sign, json={"sig": own}, headers=signing(book.creator)), 409)
    async with Unchanged(client, book):
        bad = b64(book.joiner.sign(additional + b"x", unb64(text["ct"])))
        problem(await client.post(sign, json={"sig": bad}, headers=signing(book.joiner)), 422)
    agreed = await client.post(sign, json={"sig": good}, headers=signing(book.joiner))
    assert agreed.json()["state"] == "agreed" and agreed.json()["agreed_at"]
    assert [s["member"] for s in agreed.json()["signatures"]] == [
        book.creator.member_id,
        book.joiner.member_id,
    ]
    async with Unchanged(client, book):
        problem(await client.post(sign, json={"sig": good}, headers=signing(book.joiner)), 409)
    listing = (await client.get(url, headers=book.creator.auth)).json()["agreements"]
    assert [a["state"] for a in listing] == ["agreed"]
    nothing = new_id()
    unknown = f"{url}/{nothing}/sign"
    problem(
        await client.post(unknown, json={"sig": good}, headers=signing(book.joiner, nothing)), 404
    )


async def test_an_agreement_can_wait_for_not_yet_and_other_words(
    client: httpx.AsyncClient,
) -> None:
    """Ella proposes; James says not yet with a sealed note, then proposes other words; the
    new words need both signatures again. Every refusal changes nothing."""
    book = await paired(client)
    ella, james = book.creator, book.joiner
    text = item(book, ella, "agreement", {"text": "Let's try."})
    url = f"/v1/notebooks/{book.id}/agreements"
    agreement = text["id"]
    proposing = acting(book, ella, ("agreement.proposed", agreement, "", agreement))
    assert (await client.post(url, json=text, headers=proposing)).status_code == 201
    not_yet, revise = f"{url}/{agreement}/not-yet", f"{url}/{agreement}/revise"

    def declining(device: Device, note: str = "") -> dict[str, str]:
        return acting(book, device, ("agreement.declined", agreement, "", note))

    note = item(book, james, "agreement-note", {"text": "Give me a day."}, ref=agreement)
    async with Unchanged(client, book):
        problem(await client.post(not_yet, json={"note": note}, headers=james.auth), 428)
        problem(await client.post(not_yet, json={}, headers=declining(ella)), 403)
        misplaced = item(book, james, "agreement-note", {"text": "x"})  # ref is not the agreement
        body = {"note": misplaced}
        problem(
            await client.post(not_yet, json=body, headers=declining(james, misplaced["id"])), 422
        )
        problem(await client.post(not_yet, json={"note": note}, headers=declining(james)), 409)
    said = await client.post(not_yet, json={"note": note}, headers=declining(james, note["id"]))
    assert said.status_code == 200, said.text
    assert said.json()["state"] == "proposed" and said.json()["not_yet_at"]
    async with Unchanged(client, book):
        problem(await client.post(not_yet, json={}, headers=declining(james)), 409)

    other = item(book, james, "agreement", {"text": "Let's try, one evening a week."})

    def revising(device: Device, words: dict[str, str] = other) -> dict[str, str]:
        return acting(book, device, ("agreement.revised", agreement, "", words["id"]))

    async with Unchanged(client, book):
        problem(await client.post(revise, json=other, headers=james.auth), 428)
        problem(await client.post(revise, json=other, headers=revising(ella)), 422)  # James's box
        same = item(book, james, "agreement", {"text": "again"}, item_id=agreement)
        problem(await client.post(revise, json=same, headers=revising(james, same)), 409)
    revised = await client.post(revise, json=other, headers=revising(james))
    assert revised.status_code == 200, revised.text
    answer = revised.json()
    assert answer["proposer"] == james.member_id and answer["text"]["id"] == other["id"]
    assert answer["state"] == "proposed" and answer["not_yet_at"] is None
    assert [s["member"] for s in answer["signatures"]] == [james.member_id]

    sign = f"{url}/{agreement}/sign"
    signing = acting(book, ella, ("agreement.signed", agreement, "", ""))
    old = aad("item", book.id, "agreement", agreement, "", ella.id)
    async with Unchanged(client, book):  # a signature over the old words no longer fits
        stale = b64(ella.sign(old, unb64(text["ct"])))
        problem(await client.post(sign, json={"sig": stale}, headers=signing), 422)
    new = aad("item", book.id, "agreement", other["id"], "", james.id)
    good = b64(ella.sign(new, unb64(other["ct"])))
    agreed = await client.post(sign, json={"sig": good}, headers=signing)
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["state"] == "agreed"
    assert [s["member"] for s in agreed.json()["signatures"]] == [
        james.member_id,
        ella.member_id,
    ]
    async with Unchanged(client, book):
        again = item(book, ella, "agreement", {"text": "more"})
        problem(await client.post(revise, json=again, headers=revising(ella, again)), 409)
        problem(await client.post(not_yet, json={}, headers=declining(ella)), 409)
        nothing = new_id()
        problem(
            await client.post(
                f"{url}/{nothing}/not-yet",
                json={},
                headers=acting(book, james, ("agreement.declined", nothing, "", "")),
            ),
            404,
        )

    listing = (await client.get(url, headers=ella.auth)).json()["agreements"]
    (found,) = listing
    assert found["text"]["id"] == other["id"] and found["state"] == "agreed"
    kinds = [r["kind"] for r in found["history"]]
    assert kinds == [
        "agreement.proposed",
        "agreement.declined",
        "agreement.revised",
        "agreement.signed",
    ]
    declined = found["history"][1]
    assert declined["note"]["id"] == note["id"] and declined["member"] == james.member_id
    verify_act(book, james, declined, ("agreement.declined", agreement, "", note["id"]))
    verify_act(book, james, found["history"][2], ("agreement.revised", agreement, "", other["id"]))
