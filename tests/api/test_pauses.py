"""Time and space: pauses, "I'll be here", "I'm ready to talk", renewal and running out."""

import httpx

from api.helpers import Book, Unchanged, item, notebook, paired, problem, records, write
from conftest import Clock
from unspoken.server.sweeper import sweep_once


def _pause(book: Book, minutes: int, note: str | None = None) -> dict[str, object]:
    body: dict[str, object] = {"minutes": minutes}
    if note is not None:
        body["note"] = item(book, book.creator, "pause-note", {"text": note})
    return body


async def test_a_pause_out_of_range_says_the_allowed_range(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    for minutes in (19, 1441, 0):
        async with Unchanged(client, book):
            refused = await client.post(url, json=_pause(book, minutes), headers=book.creator.auth)
        body = problem(refused, 422)
        assert "20 minutes to 24 hours" in body["detail"]
        assert (body["min_minutes"], body["max_minutes"]) == (20, 1440)


async def test_a_pause_is_announced_and_silences_only_the_partner(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    started = await client.post(
        url, json=_pause(book, 30, "I need time"), headers=book.creator.auth
    )
    assert started.status_code == 201
    pause = started.json()["pause"]
    assert (pause["by"], pause["here"]) == (book.creator.member_id, False)
    record = (await records(client, book, book.joiner))[-1]
    assert (record["kind"], record["until"]) == ("pause.started", pause["until"])
    assert record["note"]["device"] == book.creator.id
    pen = f"/v1/notebooks/{book.id}/pen/pass"
    assert (await client.post(pen, headers=book.creator.auth)).status_code == 200
    async with Unchanged(client, book):
        refused = await write(client, book, book.joiner, "Please")
    body = problem(refused, 409)
    assert "asked for time" in body["detail"] and body["pause"]["until"] == pause["until"]
    for path in ("pen/ask", "promises", "agreements"):
        async with Unchanged(client, book):
            payload = item(book, book.joiner, path.rstrip("s"), {"text": "x"})
            silenced = await client.post(
                f"/v1/notebooks/{book.id}/{path}", json=payload, headers=book.joiner.auth
            )
        assert silenced.status_code == 409, path


async def test_ill_be_here_once_and_only_by_the_partner(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    here = f"/v1/notebooks/{book.id}/pause/here"
    async with Unchanged(client, book):
        assert "Nobody" in problem(await client.post(here, headers=book.joiner.auth), 409)["detail"]
    await client.post(
        f"/v1/notebooks/{book.id}/pause", json=_pause(book, 60), headers=book.creator.auth
    )
    async with Unchanged(client, book):
        problem(await client.post(here, headers=book.creator.auth), 409)
    note = {"note": item(book, book.joiner, "here-note", {"text": "I'll be here"})}
    answered = await client.post(here, json=note, headers=book.joiner.auth)
    assert answered.status_code == 200 and answered.json()["pause"]["here"] is True
    assert (await records(client, book, book.creator))[-1]["kind"] == "pause.here"
    async with Unchanged(client, book):
        assert (
            "already" in problem(await client.post(here, headers=book.joiner.auth), 409)["detail"]
        )


async def test_ready_ends_the_pause_at_once_and_only_the_pauser_may(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    await client.post(
        f"/v1/notebooks/{book.id}/pause", json=_pause(book, 60), headers=book.creator.auth
    )
    ready = f"/v1/notebooks/{book.id}/pause/ready"
    async with Unchanged(client, book):
        problem(await client.post(ready, headers=book.joiner.auth), 409)
    ended = await client.post(ready, headers=book.creator.auth)
    assert ended.status_code == 200 and ended.json()["pause"] is None
    last = (await records(client, book, book.joiner))[-1]
    assert (last["kind"], last["reason"], last["member"]) == (
        "pause.ended",
        "ready",
        book.creator.member_id,
    )


async def test_renewing_is_shown_and_never_beyond_a_day_from_now(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    first = (await client.post(url, json=_pause(book, 1440), headers=book.creator.auth)).json()
    clock.advance(hours=20)
    renewed = await client.post(url, json=_pause(book, 1440), headers=book.creator.auth)
    assert renewed.status_code == 201
    assert renewed.json()["pause"]["until"] > first["pause"]["until"]
    assert renewed.json()["pause"]["since"] == first["pause"]["since"]
    assert (await records(client, book, book.joiner))[-1]["kind"] == "pause.renewed"
    async with Unchanged(client, book):  # the partner cannot start one during hers
        problem(await client.post(url, json={"minutes": 30}, headers=book.joiner.auth), 409)


async def test_a_pause_that_runs_out_frees_the_partner_and_both_are_told(
    client: httpx.AsyncClient, clock: Clock, app: object
) -> None:
    book = await paired(client)
    await client.post(
        f"/v1/notebooks/{book.id}/pause", json=_pause(book, 20), headers=book.creator.auth
    )
    await client.post(f"/v1/notebooks/{book.id}/pen/pass", headers=book.creator.auth)
    clock.advance(minutes=20)
    assert (await write(client, book, book.joiner, "Welcome back")).status_code == 201
    services = app.state.services  # type: ignore[attr-defined]
    await sweep_once(services)
    await sweep_once(services)  # idempotent: a second sweeper finds nothing to do
    kinds = [r["kind"] for r in await records(client, book, book.creator)]
    assert kinds.count("pause.ended") == 1 and kinds[-1] == "pause.ended"
    last = (await records(client, book, book.creator))[-1]
    assert (last["reason"], last["member"]) == ("expired", book.creator.member_id)
    assert (await notebook(client, book, book.joiner))["pause"] is None
