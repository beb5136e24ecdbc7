"""Time and space: pauses, "I'll be here", "I'm ready to talk", renewal and running out."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from api.helpers import (
    Book,
    Device,
    Unchanged,
    acting,
    asked,
    item,
    notebook,
    paired,
    passing,
    problem,
    records,
    write,
)
from conftest import Clock
from unspoken.rules.outcome import iso
from unspoken.server.sweeper import sweep_once


def _pause(
    book: Book, minutes: int, note: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"minutes": minutes, "asked": asked(at)}
    if note is not None:
        body["note"] = item(book, book.creator, "pause-note", {"text": note})
    return body


def _pausing(
    book: Book, body: dict[str, Any], device: Device | None = None, kind: str = "pause.started"
) -> dict[str, str]:
    """The creator's (or `device`'s) signed act for the pause `body` starts or renews."""
    note = body.get("note")
    act = (kind, "", f"{body['minutes']}@{body['asked']}", note["id"] if note else "")
    return acting(book, device or book.creator, act)


async def test_a_pause_out_of_range_says_the_allowed_range(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    for minutes in (19, 1441, 0):
        async with Unchanged(client, book):
            body = _pause(book, minutes)
            refused = await client.post(url, json=body, headers=book.creator.auth)
        body = problem(refused, 422)
        assert "20 minutes to 24 hours" in body["detail"]
        assert (body["min_minutes"], body["max_minutes"]) == (20, 1440)


async def test_a_pause_asked_on_a_clock_far_from_the_servers_is_refused(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    for off in (-6, 6, -60 * 24 * 2):
        async with Unchanged(client, book):
            body = _pause(book, 480, at=clock.now + timedelta(minutes=off))
            refused = await client.post(url, json=body, headers=_pausing(book, body))
        assert "clock is more than 5 minutes" in problem(refused, 422)["detail"]
    body = _pause(book, 480, at=clock.now - timedelta(minutes=4))
    started = await client.post(url, json=body, headers=_pausing(book, body))
    assert started.status_code == 201
    since = datetime.fromtimestamp(body["asked"] / 1000, UTC)  # the device's word, not the server's
    assert started.json()["pause"]["until"] == iso(since + timedelta(minutes=480))
    assert (await records(client, book, book.joiner))[-1]["asked"] == body["asked"]


async def test_a_pause_is_announced_and_silences_only_the_partner(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pause"
    body = _pause(book, 30, "I need time")
    started = await client.post(url, json=body, headers=_pausing(book, body))
    assert started.status_code == 201
    pause = started.json()["pause"]
    assert (pause["by"], pause["here"]) == (book.creator.member_id, False)
    record = (await records(client, book, book.joiner))[-1]
    assert (record["kind"], record["until"]) == ("pause.started", pause["until"])
    assert record["note"]["device"] == book.creator.id
    pen = f"/v1/notebooks/{book.id}/pen/pass"
    assert (await client.post(pen, headers=passing(book, book.creator))).status_code == 200
    async with Unchanged(client, book):
        refused = await write(client, book, book.joiner, "Please")
    body = problem(refused, 409)
    assert "asked for time" in body["detail"] and body["pause"]["until"] == pause["until"]
    for path, kind in [
        ("pen/ask", "pen.asked"),
        ("promises", "promise.made"),
        ("agreements", "agreement.proposed"),
    ]:
        payload = item(book, book.joiner, path.rstrip("s"), {"text": "x"})
        act = {
            "pen.asked": (kind, "1", "", ""),
            "promise.made": (kind, payload["id"], book.creator.member_id, payload["id"]),
            "agreement.proposed": (kind, payload["id"], "", payload["id"]),
        }[kind]
        async with Unchanged(client, book):
            silenced = await client.post(
                f"/v1/notebooks/{book.id}/{path}",
                json=payload,
                headers=acting(book, book.joiner, act),
            )
        assert silenced.status_code == 409, path


async def test_ill_be_here_once_and_only_by_the_partner(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    here = f"/v1/notebooks/{book.id}/pause/here"

    def being_here(device: Device, note: str = "") -> dict[str, str]:
        return acting(book, device, ("pause.here", "", "", note))

    async with Unchanged(client, book):
        refused = await client.post(here, headers=being_here(book.joiner))
    assert "Nobody" in problem(refused, 409)["detail"]
    body = _pause(book, 60)
    await client.post(f"/v1/notebooks/{book.id}/pause", json=body, headers=_pausing(book, body))
    async with Unchanged(client, book):
        problem(await client.post(here, headers=being_here(book.creator)), 409)
    note = {"note": item(book, book.joiner, "here-note", {"text": "I'll be here"})}
    signed = being_here(book.joiner, note["note"]["id"])
    answered = await client.post(here, json=note, headers=signed)
    assert answered.status_code == 200 and answered.json()["pause"]["here"] is True
    assert (await records(client, book, book.creator))[-1]["kind"] == "pause.here"
    async with Unchanged(client, book):
        again = await client.post(here, headers=being_here(book.joiner))
    assert "already" in problem(again, 409)["detail"]


async def test_ready_ends_the_pause_at_once_and_only_the_pauser_may(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    body = _pause(book, 60)
    await client.post(f"/v1/notebooks/{book.id}/pause", json=body, headers=_pausing(book, body))
    ready = f"/v1/notebooks/{book.id}/pause/ready"

    def readying(device: Device) -> dict[str, str]:
        return acting(book, device, ("pause.ended", "", "ready", ""))

    async with Unchanged(client, book):
        problem(await client.post(ready, headers=readying(book.joiner)), 409)
    ended = await client.post(ready, headers=readying(book.creator))
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
    body = _pause(book, 1440)
    first = (await client.post(url, json=body, headers=_pausing(book, body))).json()
    clock.advance(hours=20)
    body = _pause(book, 1440, at=clock.now)
    renewing = _pausing(book, body, kind="pause.renewed")
    renewed = await client.post(url, json=body, headers=renewing)
    assert renewed.status_code == 201
    assert renewed.json()["pause"]["until"] > first["pause"]["until"]
    assert renewed.json()["pause"]["since"] == first["pause"]["since"]
    assert (await records(client, book, book.joiner))[-1]["kind"] == "pause.renewed"
    async with Unchanged(client, book):  # the partner cannot start one during hers
        body = _pause(book, 30, at=clock.now)
        problem(await client.post(url, json=body, headers=_pausing(book, body, book.joiner)), 409)


async def test_a_pause_that_runs_out_frees_the_partner_and_both_are_told(
    client: httpx.AsyncClient, clock: Clock, app: object
) -> None:
    book = await paired(client)
    body = _pause(book, 20, at=clock.now)
    await client.post(f"/v1/notebooks/{book.id}/pause", json=body, headers=_pausing(book, body))
    await client.post(f"/v1/notebooks/{book.id}/pen/pass", headers=passing(book, book.creator))
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
