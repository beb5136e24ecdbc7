"""Appends: retries never duplicate."""

import httpx

from api.helpers import b64, paired, unb64, write


async def test_a_retried_append_answers_the_original_and_stores_once(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    view = (await client.get(f"/v1/notebooks/{book.id}", headers=book.creator.auth)).json()
    body = book.entry_body(book.creator, "only once", unb64(view["head"]["hash"]))
    url, auth = f"/v1/notebooks/{book.id}/entries", book.creator.auth
    first = await client.post(url, json=body, headers=auth)
    retry = await client.post(url, json=body, headers=auth)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    records = (await client.get(f"/v1/notebooks/{book.id}/records", headers=auth)).json()
    assert [r["id"] for r in records["records"] if r["kind"] == "entry"] == [body["id"]]
    assert records["head_seq"] == first.json()["seq"]


async def test_an_entry_id_reused_for_other_words_is_refused_plainly(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    view = (await client.get(f"/v1/notebooks/{book.id}", headers=book.creator.auth)).json()
    prev = unb64(view["head"]["hash"])
    body = book.entry_body(book.creator, "the first words", prev)
    other = book.entry_body(book.creator, "other words", prev, entry_id=body["id"])
    url, auth = f"/v1/notebooks/{book.id}/entries", book.creator.auth
    first = await client.post(url, json=body, headers=auth)
    reused = await client.post(url, json=other, headers=auth)
    assert (first.status_code, reused.status_code) == (201, 409)
    assert reused.headers["content-type"] == "application/problem+json"
    assert "another entry" in reused.json()["detail"]
    records = (await client.get(f"/v1/notebooks/{book.id}/records", headers=auth)).json()
    assert [r["ct"] for r in records["records"] if r["kind"] == "entry"] == [body["ct"]]


async def test_records_page_by_after_and_limit(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    for text in ("a", "b", "c"):
        assert (await write(client, book, book.creator, text)).status_code == 201
    url = f"/v1/notebooks/{book.id}/records?after=2&limit=3"
    page = (await client.get(url, headers=book.joiner.auth)).json()
    assert [r["seq"] for r in page["records"]] == [3, 4, 5] and page["head_seq"] == 7
    too_many = await client.get(
        f"/v1/notebooks/{book.id}/records?limit=501", headers=book.joiner.auth
    )
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == "The parameter 'limit' must be at most 500."


async def test_entry_answers_use_wire_formats(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    answer = (await write(client, book, book.creator, "format")).json()
    assert len(unb64(answer["hash"])) == 32 and b64(unb64(answer["hash"])) == answer["hash"]
    assert answer["at"].endswith("Z") and len(answer["at"]) == len("2026-11-22T07:30:00.000Z")
