"""Every notebook endpoint × every kind of caller: only the right device gets through.

The callers: no token, another notebook's token, a revoked device's token, the right token.

The endpoints come from the OpenAPI document, so a new route is covered the day it is added.
"""

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.helpers import Book, Device, b64, claim, create, invite, link_device, lp, new_id, paired

NO_SUCH_NOTEBOOK = 404


def _operations(app: FastAPI) -> list[tuple[str, str, bool]]:
    """(method, path template, streams) for every operation on one notebook."""
    found = []
    for path, item in app.openapi()["paths"].items():
        if "{nb}" not in path:
            continue
        for method, operation in item.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            found.append((method.upper(), path, "text/event-stream" in content))
    return found


def _url(template: str, book: Book) -> str:
    known = {"nb": book.id, "member": book.joiner.member_id}
    return re.sub(r"\{(\w+)\}", lambda m: known.get(m.group(1), new_id()), template)


async def _call(http: httpx.AsyncClient, method: str, url: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return await http.request(method, url, json=body, headers=headers)


@pytest.fixture
async def callers(client: httpx.AsyncClient) -> dict[str, Any]:
    book = await paired(client)
    other = await paired(client)
    declined = Book()
    assert (await create(client, declined)).status_code == 201
    outsider = Device()
    assert (await claim(client, declined, await invite(client, declined), outsider)).status_code
    url = f"/v1/notebooks/{declined.id}/members/{outsider.member_id}/decline"
    assert (await client.post(url, headers=declined.creator.auth)).status_code == 200
    phone, approved = await link_device(client, book, book.creator)
    assert approved.status_code == 200
    sig = book.creator.key.sign(
        lp("unspoken/v2/device-revoke", book.id, book.creator.member_id, phone.id, "1")
    )
    body = {"sig": b64(sig), "epoch": book.epoch_body(book.creator, 1, [book.creator, book.joiner])}
    url = f"/v1/notebooks/{book.id}/devices/{phone.id}/revoke"
    assert (await client.post(url, json=body, headers=book.creator.auth)).status_code == 200
    return {
        "book": book,
        "other": other.creator.token,
        "revoked": outsider.token,
        "declined_book": declined,
        "revoked_device": phone.token,
    }


async def test_there_are_notebook_endpoints_to_check(app: FastAPI) -> None:
    assert len(_operations(app)) >= 8


async def test_no_token_is_refused_everywhere(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    for method, template, _ in _operations(app):
        response = await _call(client, method, _url(template, callers["book"]), None)
        assert response.status_code == 401, (method, template, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_token_is_refused_everywhere(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    for method, template, _ in _operations(app):
        url = _url(template, callers["book"])
        response = await _call(client, method, url, "A" * 43)
        assert response.status_code == 401, (method, template, response.text)


async def test_another_notebooks_token_finds_nothing(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    for method, template, _ in _operations(app):
        url = _url(template, callers["book"])
        response = await _call(client, method, url, callers["other"])
        assert response.status_code == NO_SUCH_NOTEBOOK, (method, template, response.text)


async def test_a_declined_devices_token_finds_nothing(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    for method, template, _ in _operations(app):
        url = _url(template, callers["declined_book"])
        response = await _call(client, method, url, callers["revoked"])
        assert response.status_code in (401, NO_SUCH_NOTEBOOK), (method, template, response.text)


async def test_a_revoked_devices_token_is_refused_everywhere(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    for method, template, _ in _operations(app):
        url = _url(template, callers["book"])
        response = await _call(client, method, url, callers["revoked_device"])
        assert response.status_code == 401, (method, template, response.text)
        assert response.json()["title"] == "Device revoked", (method, template)


async def test_the_right_token_gets_past_the_door(
    app: FastAPI, client: httpx.AsyncClient, callers: dict[str, Any]
) -> None:
    stranger = await _call(client, "GET", f"/v1/notebooks/{callers['book'].id}", callers["other"])
    not_yours = stranger.json()["detail"]
    for method, template, streams in _operations(app):
        if streams:
            continue  # an open stream never ends in-process; tests/api/test_events.py has it
        for role in ("creator", "joiner"):
            book = await paired(client)  # a fresh notebook: no call's effect leaks into the next
            device = getattr(book, role)
            response = await _call(client, method, _url(template, book), device.token)
            # 403 may follow (a creator-only action), but the device itself was recognised
            assert response.status_code != 401, (method, template, response.text)
            if response.status_code == 404:
                assert response.json()["detail"] != not_yours, (method, template)
