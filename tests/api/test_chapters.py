"""Chapters: closing, starting the next (blank or from a template), and mirror-before-reply."""

from typing import Any

import httpx

from api.helpers import (
    Book,
    Device,
    Unchanged,
    acting,
    item,
    notebook,
    paired,
    problem,
    records,
    unb64,
)


async def _write(
    client: httpx.AsyncClient, book: Book, device: Device, text: str, mirror: bool = False
) -> httpx.Response:
    view = await notebook(client, book, book.creator)
    body: dict[str, Any] = book.entry_body(
        device, text, unb64(view["head"]["hash"]), chapter=view["chapter"]
    )
    if mirror:
        body["mirror"] = True
    return await client.post(f"/v1/notebooks/{book.id}/entries", json=body, headers=device.auth)


def _chapter(book: Book, device: Device, n: int, mirror: bool = False) -> dict[str, Any]:
    meta = {"title": "After the bar", "template": "after-a-fight", "mirror": mirror}
    return {"n": n, "mirror": mirror, "meta": item(book, device, "chapter", meta, ref=str(n))}


def _opening(
    book: Book, device: Device, body: dict[str, Any], closing: bool = True
) -> dict[str, str]:
    """Signed acts for a new chapter: the open one closes first (`closing`), then n opens."""
    n = body["n"]
    opened = ("chapter.opened", str(n), body.get("mode", "turns"), body["meta"]["id"])
    if not closing:
        return acting(book, device, opened)
    return acting(book, device, ("chapter.closed", str(n - 1), "", ""), opened)


def _closing(book: Book, device: Device, n: int) -> dict[str, str]:
    return acting(book, device, ("chapter.closed", str(n), "", ""))


async def test_a_closed_chapter_is_read_only_and_only_the_holder_closes(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    close = f"/v1/notebooks/{book.id}/chapters/1/close"
    async with Unchanged(client, book):
        problem(await client.post(close, headers=_closing(book, book.joiner, 1)), 409)
    async with Unchanged(client, book):
        problem(
            await client.post(
                f"/v1/notebooks/{book.id}/chapters/2/close",
                headers=_closing(book, book.creator, 2),
            ),
            409,
        )
    closed = await client.post(close, headers=_closing(book, book.creator, 1))
    assert closed.json()["chapter_state"] == "closed"
    assert closed.json()["chapters"][0]["state"] == "closed"
    async with Unchanged(client, book):
        refused = await _write(client, book, book.creator, "one more thing")
    assert "closed" in problem(refused, 409)["detail"]
    problem(await client.post(close, headers=_closing(book, book.creator, 1)), 409)


async def test_a_new_chapter_carries_its_sealed_meta_and_its_opener_holds_the_pen(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/chapters"
    for n, meta_by, status in [
        (3, book.joiner, 409),  # not the next chapter
        (2, book.joiner, 409),  # chapter 1 is open and the pen is not the joiner's
        (2, book.creator, 422),  # the meta box must be the caller's, for chapter 2
    ]:
        body = _chapter(book, meta_by, n)
        async with Unchanged(client, book):
            answer = await client.post(url, json=body, headers=_opening(book, book.joiner, body))
        problem(answer, status)
    closing = _closing(book, book.creator, 1)
    await client.post(f"/v1/notebooks/{book.id}/chapters/1/close", headers=closing)
    body = _chapter(book, book.joiner, 2)
    opened = await client.post(url, json=body, headers=_opening(book, book.joiner, body, False))
    assert opened.status_code == 201, opened.text
    view = opened.json()
    assert (view["chapter"], view["chapter_state"], view["pen"]) == (
        2,
        "open",
        book.joiner.member_id,
    )
    assert [c["n"] for c in view["chapters"]] == [1, 2]
    assert (
        view["chapters"][0]["meta"] is None
        and view["chapters"][1]["meta"]["device"] == book.joiner.id
    )
    assert (await _write(client, book, book.joiner, "Feelings first")).status_code == 201
    kinds = [r["kind"] for r in await records(client, book, book.creator)]
    assert kinds[-3:] == ["chapter.closed", "chapter.opened", "entry"]


async def test_mirror_before_reply(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    assert (
        "mirror"
        in problem(await _write(client, book, book.creator, "x", mirror=True), 409)["detail"]
    )
    url = f"/v1/notebooks/{book.id}/chapters"
    body = _chapter(book, book.creator, 2, mirror=True)
    opened = await client.post(url, json=body, headers=_opening(book, book.creator, body))
    assert opened.json()["mirror"] == {"owed_by": None, "awaiting": None}
    mode = f"/v1/notebooks/{book.id}/mode"
    opening = acting(book, book.creator, ("mode.changed", "2", "open", ""))
    assert (await client.post(mode, json={"mode": "open"}, headers=opening)).status_code == 200
    assert (await _write(client, book, book.creator, "I felt alone")).status_code == 201
    async with Unchanged(client, book):
        refused = await _write(client, book, book.joiner, "But I was there")
    assert problem(refused, 409)["mirror"] == {"owed_by": book.joiner.member_id}
    assert (
        await _write(client, book, book.joiner, "You felt alone", mirror=True)
    ).status_code == 201
    assert (await records(client, book, book.creator))[-1]["mirror"] is True
    async with Unchanged(client, book):
        problem(await _write(client, book, book.joiner, "But I was there"), 409)
    answer = f"/v1/notebooks/{book.id}/mirror"

    def answering(device: Device, said: str) -> dict[str, str]:
        return acting(book, device, ("mirror.answered", "2", said, ""))

    async with Unchanged(client, book):
        got_it = answering(book.joiner, "got-it")
        problem(await client.post(answer, json={"answer": "got-it"}, headers=got_it), 409)
    more = await client.post(
        answer, json={"answer": "more"}, headers=answering(book.creator, "more")
    )
    assert more.json()["mirror"] == {"owed_by": book.joiner.member_id, "awaiting": None}
    assert (
        await _write(client, book, book.joiner, "Alone, even with me", mirror=True)
    ).status_code == 201
    got = await client.post(
        answer, json={"answer": "got-it"}, headers=answering(book.creator, "got-it")
    )
    assert got.json()["mirror"] == {"owed_by": None, "awaiting": None}
    assert (await _write(client, book, book.joiner, "I was there, but far")).status_code == 201
    last = (await records(client, book, book.joiner))[-2]
    assert (last["kind"], last["answer"]) == ("mirror.answered", "got-it")
