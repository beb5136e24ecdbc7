"""Two people race to claim one invite: exactly one wins, every time."""

import asyncio

import httpx

from api.helpers import Book, Device, claim, create, invite, notebook

TRIALS = 50


async def test_two_concurrent_claimants_never_both_win(client: httpx.AsyncClient) -> None:
    for _ in range(TRIALS):
        book = Book()
        assert (await create(client, book)).status_code == 201
        made = await invite(client, book)
        first, second = Device(), Device()
        answers = await asyncio.gather(
            claim(client, book, made, first), claim(client, book, made, second)
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses[0] == 201 and statuses[1] in (409, 410), statuses
        members = (await notebook(client, book, book.creator))["members"]
        assert sorted(m["state"] for m in members) == ["active", "pending"]
