"""Whatever JSON arrives at an endpoint, the server answers with a 4xx problem and changes
nothing: hypothesis sends every operation that takes a body arbitrary JSON values, and objects
made of that operation's own field names with arbitrary values (base64url of any length among
them), so each field's decoder is tried, not only the JSON parser. A request that acts carries
the device's signature over the acts its body would make (security/signing.py), so a body that
decodes meets the rules rather than only the act check.
"""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from api.helpers import PROBLEM, Book, Unchanged, act_header, b64, paired
from security.signing import ACTS, Where
from unspoken.app import create_app
from unspoken.push.notices import KINDS
from unspoken.rules.pauses import MAX_MINUTES, MIN_MINUTES
from unspoken.settings import Settings

EXAMPLES = 20
_DOCUMENT = create_app(Settings(database=Path("never-opened.db"))).openapi()
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.binary(max_size=80).map(b64)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=16,
)


def _schema(ref: str) -> dict[str, Any]:
    found: dict[str, Any] = _DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return found


def _body_operations() -> list[tuple[str, str, list[str]]]:
    """(method, path, field names) for each operation that takes a JSON body."""
    found = []
    for path, item in _DOCUMENT["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"]["schema"]
            ref = schema.get("$ref") or next(s["$ref"] for s in schema["anyOf"] if "$ref" in s)
            found.append((method.upper(), path, sorted(_schema(ref)["properties"])))
    return found


OPERATIONS = _body_operations()


def _shaped(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(fields), JSON, max_size=len(fields) + 1)


def _could_be_valid(path: str, body: Any) -> bool:
    """The few bodies with no signature that are valid: a pause, a mode, a mirror answer, a
    device's choice of notices."""
    if not isinstance(body, dict):
        return False
    minutes = body.get("minutes")
    pause = isinstance(minutes, int | float) and MIN_MINUTES <= minutes <= MAX_MINUTES
    notices = body.get("notices")
    chosen = isinstance(notices, list) and all(kind in KINDS for kind in notices)
    return (
        (path.endswith("/pause") and pause)
        or body.get("mode") == "open"
        or (path.endswith("/push/preferences") and chosen)
    )


def test_every_operation_with_a_body_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 15
    assert ("POST", "/v1/invites/{invite}/claim", ["claim", "device_key", "key_mac"]) in OPERATIONS


@pytest.fixture
async def book(client: httpx.AsyncClient) -> Book:
    return await paired(client)


@pytest.mark.parametrize(("method", "path", "fields"), OPERATIONS, ids=[o[1] for o in OPERATIONS])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_any_json_is_refused_cleanly(
    app: FastAPI,
    client: httpx.AsyncClient,
    book: Book,
    method: str,
    path: str,
    fields: list[str],
    data: st.DataObject,
) -> None:
    body = data.draw(JSON | _shaped(fields), label="body")
    assume(not _could_be_valid(path, body))
    url = path.replace("{nb}", book.id).replace("{member}", book.joiner.member_id)
    url = url.replace("{promise}", book.id).replace("{agreement}", book.id)
    url = url.replace("{invite}", book.id)
    headers = {**book.creator.auth, "Content-Type": "application/json"}
    making = ACTS.get(path)
    if making is not None:
        fields = body if isinstance(body, dict) else {}
        params = {"promise": book.id, "agreement": book.id, "n": "1"}
        made = making(fields, params, Where(), book.joiner.member_id)
        headers["Unspoken-Act"] = act_header(book.id, book.creator, *made)
    async with Unchanged(client, book):
        answer = await client.request(
            method, url, content=json.dumps(body, allow_nan=True), headers=headers
        )
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith(PROBLEM)
    problem = answer.json()
    assert problem["status"] == answer.status_code and problem["title"]
    assert isinstance(problem["detail"], str) and problem["detail"]


async def test_an_unexpected_field_is_named_only_if_it_looks_like_a_name(
    client: httpx.AsyncClient, book: Book
) -> None:
    url = f"/v1/notebooks/{book.id}/pause"
    for key, shown in (("extra", "'extra'"), ("I never meant to hurt you", "'…'")):
        answer = await client.post(url, json={"minutes": 30, key: 1}, headers=book.creator.auth)
        assert answer.status_code == 422
        assert f"The field {shown} is not expected." in answer.json()["detail"]
        assert "never meant" not in answer.text
