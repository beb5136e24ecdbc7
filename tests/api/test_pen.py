"""The pen: asking for it (rate-limited), modes, and draft frames (never stored)."""

import httpx

from api.helpers import (
    Device,
    Unchanged,
    acting,
    draft,
    new_id,
    notebook,
    paired,
    problem,
    records,
    write,
)
from conftest import Clock


async def test_the_partner_without_the_pen_can_knock_once_in_ten_minutes(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pen/ask"
    knock = acting(book, book.joiner, ("pen.asked", "1", "", ""))
    asked = await client.post(url, headers=knock)
    assert asked.status_code == 200
    last = (await records(client, book, book.creator))[-1]
    assert (last["kind"], last["member"], last["to"]) == (
        "pen.asked",
        book.joiner.member_id,
        book.creator.member_id,
    )
    clock.advance(minutes=3)
    async with Unchanged(client, book):
        again = await client.post(url, headers=knock)
    body = problem(again, 429)
    assert body["detail"] == "You can ask again in 7 minutes."
    assert again.headers["Retry-After"] == "420" and body["retry_after"] == 420
    clock.advance(minutes=7)
    assert (await client.post(url, headers=knock)).status_code == 200


async def test_the_holder_cannot_knock_and_open_mode_has_no_pen_to_ask_for(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pen/ask"

    def knock(device: Device) -> dict[str, str]:
        return acting(book, device, ("pen.asked", "1", "", ""))

    async with Unchanged(client, book):
        assert (
            "already hold"
            in problem(await client.post(url, headers=knock(book.creator)), 409)["detail"]
        )
    mode = f"/v1/notebooks/{book.id}/mode"
    headers = acting(book, book.creator, ("mode.changed", "1", "open", ""))
    assert (await client.post(mode, json={"mode": "open"}, headers=headers)).status_code == 200
    async with Unchanged(client, book):
        problem(await client.post(url, headers=knock(book.joiner)), 409)


async def test_open_mode_is_the_holders_to_give_and_then_both_write(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    mode = f"/v1/notebooks/{book.id}/mode"

    def changing(device: Device, to: str) -> dict[str, str]:
        return acting(book, device, ("mode.changed", "1", to, ""))

    async with Unchanged(client, book):
        refused = await client.post(
            mode, json={"mode": "open"}, headers=changing(book.joiner, "open")
        )
    assert problem(refused, 409)["pen"] == book.creator.member_id
    async with Unchanged(client, book):
        problem(
            await client.post(mode, json={"mode": "turns"}, headers=changing(book.joiner, "turns")),
            409,
        )
    async with Unchanged(client, book):  # the body is checked before any act is made
        bad = await client.post(mode, json={"mode": "free"}, headers=book.creator.auth)
    assert "must be one of" in problem(bad, 422)["detail"]
    opened = await client.post(mode, json={"mode": "open"}, headers=changing(book.creator, "open"))
    assert (opened.json()["mode"], opened.json()["pen"]) == ("open", None)
    assert (await write(client, book, book.joiner, "Nor did I")).status_code == 201
    assert (await write(client, book, book.creator, "I know")).status_code == 201
    turns = await client.post(mode, json={"mode": "turns"}, headers=changing(book.joiner, "turns"))
    assert (turns.json()["mode"], turns.json()["pen"]) == ("turns", book.joiner.member_id)
    last = (await records(client, book, book.creator))[-1]
    assert (last["kind"], last["mode"], last["pen"], last["chapter"]) == (
        "mode.changed",
        "turns",
        book.joiner.member_id,
        1,
    )
    assert (await notebook(client, book, book.creator))["chapters"][0]["mode"] == "turns"


async def test_draft_frames_are_relayed_not_stored_and_rate_limited(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url, draft_id = f"/v1/notebooks/{book.id}/drafts", new_id()
    before = await records(client, book, book.creator)
    for n in range(5):
        frame = draft(book, book.creator, "I never"[: n + 2], draft_id, n)
        assert (await client.post(url, json=frame, headers=book.creator.auth)).status_code == 202
    assert await records(client, book, book.creator) == before
    sixth = await client.post(
        url, json=draft(book, book.creator, "I never m", draft_id, 5), headers=book.creator.auth
    )
    assert problem(sixth, 429)["retry_after"] >= 1 and sixth.headers["Retry-After"]


async def test_draft_frames_need_the_pen_a_good_signature_and_the_open_chapter(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url, draft_id = f"/v1/notebooks/{book.id}/drafts", new_id()
    async with Unchanged(client, book):
        no_pen = await client.post(
            url, json=draft(book, book.joiner, "Nor", draft_id, 0), headers=book.joiner.auth
        )
    assert problem(no_pen, 409)["pen"] == book.creator.member_id
    forged = draft(book, book.joiner, "Nor", draft_id, 0)
    problem(await client.post(url, json=forged, headers=book.creator.auth), 422)
    wrong = draft(book, book.creator, "I", draft_id, 0, chapter=2)
    assert (
        problem(await client.post(url, json=wrong, headers=book.creator.auth), 409)["chapter"] == 1
    )
