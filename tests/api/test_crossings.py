"""Crossing out a line at the server (act `entry.crossed`): its writer may, once, with the act
signed; the partner, a line that is not there, a second time and a notebook someone left are
refused with nothing written."""

from typing import Any

import httpx
import pytest

from api.helpers import (
    Book,
    Device,
    Unchanged,
    acting,
    new_id,
    paired,
    passing,
    problem,
    records,
    verify_act,
    write,
)

PROBLEM = "urn:unspoken:problem:"


@pytest.fixture
async def book(client: httpx.AsyncClient) -> Book:
    return await paired(client)


async def line(http: httpx.AsyncClient, book: Book, device: Device, text: str) -> str:
    body = (await write(http, book, device, text)).json()
    [entry] = [r for r in await records(http, book, device) if r["seq"] == body["seq"]]
    entry_id: str = entry["id"]
    return entry_id


def cross(
    http: httpx.AsyncClient, book: Book, entry_id: str, device: Device, signed: bool = True
) -> Any:
    """Cross out `entry_id` as `device`'s member, signing the act (or not)."""
    act = ("entry.crossed", entry_id, "", "")
    headers = acting(book, device, act) if signed else device.auth
    url = f"/v1/notebooks/{book.id}/entries/{entry_id}/cross"
    return http.post(url, headers=headers)


async def test_the_writer_crosses_out_a_line_and_the_line_stays(
    client: httpx.AsyncClient, book: Book
) -> None:
    entry_id = await line(client, book, book.creator, "I never listen")
    before = await records(client, book, book.joiner)
    answer = await cross(client, book, entry_id, book.creator)
    assert answer.status_code == 200, answer.text
    after = await records(client, book, book.joiner)
    assert after[: len(before)] == before  # the line is untouched, still in the log
    [crossed] = after[len(before) :]
    assert crossed["kind"] == "entry.crossed" and crossed["member"] == book.creator.member_id
    assert (crossed["entry"], crossed["chapter"]) == (entry_id, 1)
    assert "ct" not in crossed and "id" not in crossed
    verify_act(book, book.creator, crossed, ("entry.crossed", entry_id, "", ""))


async def test_without_the_pen_the_writer_still_may(client: httpx.AsyncClient, book: Book) -> None:
    entry_id = await line(client, book, book.creator, "Said too fast")
    url = f"/v1/notebooks/{book.id}/pen/pass"
    assert (await client.post(url, headers=passing(book, book.creator))).status_code == 200
    assert (await cross(client, book, entry_id, book.creator)).status_code == 200


async def test_without_the_signed_act_it_is_428(client: httpx.AsyncClient, book: Book) -> None:
    entry_id = await line(client, book, book.creator, "Mine")
    async with Unchanged(client, book):
        answer = await cross(client, book, entry_id, book.creator, signed=False)
    assert problem(answer, 428)["type"] == PROBLEM + "act-unsigned"


async def test_the_partner_cannot_cross_out_your_line(
    client: httpx.AsyncClient, book: Book
) -> None:
    entry_id = await line(client, book, book.creator, "Mine to keep")
    async with Unchanged(client, book):
        answer = await cross(client, book, entry_id, book.joiner)
    body = problem(answer, 403)
    assert body["type"] == PROBLEM + "not-your-entry"
    assert body["detail"] == "Only the partner who wrote a line can cross it out."


async def test_a_line_is_crossed_out_once(client: httpx.AsyncClient, book: Book) -> None:
    entry_id = await line(client, book, book.creator, "Once")
    assert (await cross(client, book, entry_id, book.creator)).status_code == 200
    async with Unchanged(client, book):
        answer = await cross(client, book, entry_id, book.creator)
    body = problem(answer, 409)
    assert body["type"] == PROBLEM + "already-crossed" and "already" in body["detail"]


@pytest.mark.parametrize("which", ["unknown", "another notebook's"])
async def test_a_line_that_is_not_in_this_notebook_is_404(
    client: httpx.AsyncClient, book: Book, which: str
) -> None:
    if which == "unknown":
        entry_id = new_id()
    else:
        other = await paired(client)
        entry_id = await line(client, other, other.creator, "Elsewhere")
    async with Unchanged(client, book):
        answer = await cross(client, book, entry_id, book.creator)
    body = problem(answer, 404)
    assert body["type"] == PROBLEM + "not-found" and "line" in body["detail"]


async def test_after_a_goodbye_nobody_crosses_out(client: httpx.AsyncClient, book: Book) -> None:
    mine = await line(client, book, book.creator, "Before the goodbye")
    url = f"/v1/notebooks/{book.id}/leave"
    left = acting(book, book.joiner, ("member.left", "", "", ""))
    assert (await client.post(url, headers=left)).status_code == 200
    answer = await cross(client, book, mine, book.creator)
    assert problem(answer, 409)["type"] == PROBLEM + "partner-has-left"
