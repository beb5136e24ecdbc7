"""Schemathesis holds the server to its OpenAPI document, with every check it has.

The in-process app runs on a fresh SQLite file. Before the run, a real paired notebook (with a
promise and an agreement in it) is made for each operation with the helpers of tests/api, so
most cases carry a valid device token and real ids and reach past the doors (401/404); the
others keep the fuzzer's own path values. Schema-valid bodies are then signed with the calling
device's key, so they also reach past the signature check (422) into the rules.

What is configured, and why (docs/threat-model.md, "How it is tested"):
- negative_data_rejection also counts 413 as a rejection: an over-long box is refused as too
  large, which is the truthful answer for a body over the limit.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from starlette.types import ASGIApp, Receive, Scope, Send

from api.helpers import Book, Device, aad, b64, item, paired, unb64
from unspoken.app import create_app
from unspoken.settings import Settings

EXAMPLES = 25
STREAM_SECONDS = 0.5  # the live stream never ends by itself: read it this long
DOCUMENT = create_app(Settings(database=Path("never-opened.db"))).openapi()


class LateApp:
    """The ASGI app schemathesis drives, bound by the fixture once its database is seeded."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the `fuzzed` fixture binds the app"
        await self.app(scope, receive, send)


APP = LateApp()
# A schema-violating body over the size limit is refused with 413, a rightful refusal.
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}}
)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = APP  # in-process, also for the probes some checks send
OPERATIONS = [f"{m.upper()} {path}" for path, item_ in DOCUMENT["paths"].items() for m in item_]


@dataclass(repr=False)
class Seeded:
    """One operation's own notebook: its devices and the ids its paths can name."""

    book: Book
    promise: str
    agreement: dict[str, str]

    def params(self) -> dict[str, Any]:
        return {"nb": self.book.id, "member": self.book.joiner.member_id,
                "invite": Book().id, "promise": self.promise,
                "agreement": self.agreement["id"], "n": 1}


async def _seed_one(http: httpx.AsyncClient) -> Seeded:
    book = await paired(http)
    promise = item(book, book.joiner, "promise", {"text": "p"})
    made = await http.post(f"/v1/notebooks/{book.id}/promises", json=promise,
                           headers=book.joiner.auth)
    assert made.status_code == 201, made.text
    agreement = item(book, book.creator, "agreement", {"text": "a"})
    proposed = await http.post(f"/v1/notebooks/{book.id}/agreements", json=agreement,
                               headers=book.creator.auth)
    assert proposed.status_code == 201, proposed.text
    return Seeded(book, promise["id"], agreement)


async def _seed(settings_: Settings) -> dict[str, Seeded]:
    app = create_app(settings_)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return {label: await _seed_one(http) for label in OPERATIONS}


class Fuzzed:
    """Each operation's own notebook."""

    def __init__(self, pool: dict[str, Seeded]) -> None:
        self.pool = pool

    def __repr__(self) -> str:  # failure reports name the case, not every seeded key
        return f"Fuzzed({len(self.pool)} notebooks)"


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Fuzzed:
    """The seeded notebooks, then a fresh app on the same file for schemathesis to drive."""
    folder = tmp_path_factory.mktemp("schemathesis")
    settings_ = Settings(database=folder / "unspoken.db", rate_limits=False)
    pool = asyncio.run(_seed(settings_))
    APP.app = create_app(settings_)
    return Fuzzed(pool)


def _resign(body: Any, device: Device, additional: bytes, field: str = "sig") -> None:
    if isinstance(body, dict) and isinstance(body.get("ct"), str):
        body[field] = b64(device.sign(additional, unb64(body["ct"])))


def _item(nb: str, device: Device, kind: str, ref: str = "") -> Callable[[Any], None]:
    def sign(box: Any) -> None:
        if isinstance(box, dict) and isinstance(box.get("id"), str):
            _resign(box, device, aad("item", nb, kind, box["id"], ref, device.id))

    return sign


def _whole(number: Any) -> str:
    """How the server writes a JSON number into additional data: 3.0 is 3."""
    return str(int(number)) if isinstance(number, float) else str(number)


def _sign_body(case: Any, seeded: Seeded, device: Device) -> None:
    """Sign a schema-valid body as the calling device would (docs/protocol.md)."""
    body, nb, path = case.body, seeded.book.id, case.operation.path
    if not isinstance(body, dict):
        return
    if path == "/v1/notebooks":
        fresh = Device()
        body["device_key"] = b64(fresh.public)
        _resign(body.get("profile"), fresh, aad("profile", body["id"], fresh.id))
    elif path.endswith("/profile"):
        _resign(body, device, aad("profile", nb, device.id))
    elif path.endswith("/entries"):
        additional = aad("entry", nb, _whole(body["chapter"]), body["id"], device.id,
                         unb64(body["prev"]))
        _resign(body, device, additional)
    elif path.endswith("/drafts"):
        additional = aad("draft", nb, _whole(body["chapter"]), body["draft"], _whole(body["n"]),
                         device.id)
        _resign(body, device, additional)
    elif path.endswith(("/pause", "/pause/here", "/mark")):
        kind = {"e": "pause-note", "/here": "here-note", "mark": "promise-note"}
        ref = case.path_parameters.get("promise", "") if path.endswith("mark") else ""
        kind_ = next(v for k, v in kind.items() if path.endswith(k))
        _item(nb, device, kind_, ref)(body.get("note"))
    elif path.endswith(("/promises", "/agreements")):
        _item(nb, device, path.rsplit("/", 1)[1].rstrip("s"))(body)
    elif path.endswith("/chapters"):
        _item(nb, device, "chapter", _whole(body.get("n")))(body.get("meta"))
    elif path.endswith("/sign"):
        text, proposer = seeded.agreement, seeded.book.creator
        additional = aad("item", nb, "agreement", text["id"], "", proposer.id)
        body["sig"] = b64(device.sign(additional, unb64(text["ct"])))


def _negative(case: Any, where: ParameterLocation | None = None) -> bool:
    if case.meta is None:
        return False
    if where is None:
        return bool(case.meta.generation.mode.is_negative)
    return bool(case.meta.is_negative_at(where))


@schema.given(role=st.sampled_from(["creator", "joiner"]), real=st.integers(0, 3))
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None)
def test_the_api_keeps_its_openapi_promises(
    case: Any, fuzzed: Fuzzed, role: str, real: int
) -> None:
    seeded = fuzzed.pool[case.operation.label]
    device: Device = getattr(seeded.book, role)
    if real and case.path_parameters:  # three cases in four name this operation's notebook
        case.path_parameters.update(
            {k: v for k, v in seeded.params().items() if k in case.path_parameters}
        )
    if not _negative(case):
        _sign_body(case, seeded, device)
    headers = {"Authorization": f"Bearer {device.token}"}
    if _negative(case, ParameterLocation.HEADER) and "Authorization" not in (case.headers or {}):
        headers = {}  # the case is about a missing token: leave it missing
    extra = {"timeout": STREAM_SECONDS} if case.operation.path.endswith("/events") else {}
    case.call_and_validate(headers=headers, **extra)
