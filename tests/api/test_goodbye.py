"""Goodbye: leaving, read-only for the one who stays, and erasure."""

import httpx

from api.helpers import Book, Device, acting, notebook, paired, passing, problem, records, write
from conftest import Clock
from unspoken.server.sweeper import sweep_once


def _leaving(book: Book, device: Device) -> dict[str, str]:
    return acting(book, device, ("member.left", "", "", ""))


async def test_leaving_is_announced_and_the_other_keeps_read_access(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    assert (await write(client, book, book.creator, "I never meant")).status_code == 201
    left = await client.post(f"/v1/notebooks/{book.id}/leave", headers=_leaving(book, book.joiner))
    assert left.status_code == 200 and left.json()["erased"] is False and left.json()["erase_at"]
    problem(await client.get(f"/v1/notebooks/{book.id}", headers=book.joiner.auth), 404)
    view = await notebook(client, book, book.creator)
    assert view["left"] == [book.joiner.member_id] and view["erase_at"] == left.json()["erase_at"]
    log = await records(client, book, book.creator)
    assert log[-1]["kind"] == "member.left" and log[-1]["member"] == book.joiner.member_id
    assert [r["kind"] for r in log].count("entry") == 1
    refused = await write(client, book, book.creator, "Please come back")
    assert "read" in problem(refused, 409)["detail"]
    passed = passing(book, book.creator)
    problem(await client.post(f"/v1/notebooks/{book.id}/pen/pass", headers=passed), 409)


async def test_the_notebook_is_erased_thirty_days_after_a_goodbye(
    client: httpx.AsyncClient, clock: Clock, app: object
) -> None:
    book = await paired(client)
    left = await client.post(f"/v1/notebooks/{book.id}/leave", headers=_leaving(book, book.joiner))
    assert left.status_code == 200, left.text
    services = app.state.services  # type: ignore[attr-defined]
    clock.advance(days=29)
    await sweep_once(services)
    assert (await notebook(client, book, book.creator))["left"]
    clock.advance(days=1)
    await sweep_once(services)
    gone = await client.get(f"/v1/notebooks/{book.id}", headers=book.creator.auth)
    assert gone.status_code == 401  # every row is gone, its device tokens too


async def test_when_both_have_left_the_notebook_is_erased_at_once(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    left = await client.post(f"/v1/notebooks/{book.id}/leave", headers=_leaving(book, book.joiner))
    assert left.status_code == 200, left.text
    last = await client.post(f"/v1/notebooks/{book.id}/leave", headers=_leaving(book, book.creator))
    assert last.json() == {"erased": True, "erase_at": None}
    problem(await client.get(f"/v1/notebooks/{book.id}", headers=book.creator.auth), 401)
