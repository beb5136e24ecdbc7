"""Schemathesis holds the server to its OpenAPI document, with every check it has.

The in-process app runs on a fresh SQLite file. Before the run, a real paired notebook (with a
promise and an agreement in it) is made for each operation with the helpers of tests/api.
Where a path names a device or a device link, the creator also has a second device and an open
link that a new device has claimed. Three cases in four then name that notebook's real ids
(those too) and every case carries a real device
token (the creator's or the partner's), so they reach past the doors (401/404); schema-valid
bodies are signed with the calling device's key, and so are the acts they make (signing.py),
so they also reach past the signature check (422) and the act check (428) into the rules.
The fixture's teardown fails the run if some operation was never answered with anything but
401 or 404.

Configured, and why (docs/threat-model.md, "How it is tested"):
- negative_data_rejection also counts 413 as a rejection: a schema-violating body over the
  size limit is refused as too large, which is the truthful answer.
- A case that tests a missing Authorization header is sent without one.
- Every case of an operation that acts carries its device's signature over the acts it would
  make (a negative case too: a real device signs whatever it sends), so the fuzzed bodies and
  paths reach their checks and the rules; the Unspoken-Act header itself is fuzzed in
  tests/api/test_acts.py (malformed, unsigned, mismatched: 428 or 409, nothing changed).
- The live stream never ends by itself; it is read for STREAM_SECONDS, then judged.
- The app's only push service is a local port nothing listens on (signing.PUSH_SERVICE), and
  subscriptions name it: the run sends nothing off this machine.
Nothing else is disabled.
"""

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.python import asgi
from starlette.types import ASGIApp, Receive, Scope, Send

from api.helpers import (
    Book,
    Device,
    acting,
    b64,
    claim_link,
    head,
    item,
    link_device,
    new_id,
    open_link,
    paired,
    unb64,
)
from security.signing import ACTS, PUSH_SERVICE, Where, certify, cosign, sign_acts, sign_body
from unspoken.app import create_app
from unspoken.settings import Settings

EXAMPLES = 20  # per operation: well under a minute of CPU for all of them
STREAM_SECONDS = 0.5
DOCUMENT = create_app(Settings(database=Path("never-opened.db"))).openapi()
OPERATIONS = [f"{m.upper()} {path}" for path, ops in DOCUMENT["paths"].items() for m in ops]
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
DOORS = frozenset({401, 404})


class LateApp:
    """The ASGI app schemathesis drives, bound by the fixture once its database is seeded."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the `fuzzed` fixture binds the app"
        await self.app(scope, receive, send)


APP = LateApp()
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {"expected-statuses": REFUSALS},
            # A well-formed request can still meet a rule: schemathesis's own list, and 410 for
            # an invite already used (each operation's notebook was paired by one).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]
            },
        }
    }
)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = APP  # in-process, also for the probes some checks send on their own


@dataclass(repr=False)
class Seeded:
    """One operation's own notebook: its devices, the ids its paths can name, its head."""

    book: Book
    promise: str
    agreement: dict[str, str]
    head: str
    phone: str = ""  # the creator's second device, where a path names a device
    link: str = ""  # an open link a new device has claimed, where a path names a link
    newcomer: bytes = b""  # that new device's key, for the certificate that lets it in
    entry: str = ""  # a line the creator wrote, where a path names an entry
    where: Where = field(default_factory=Where)  # the chapter and pause, as last answered

    def params(self) -> dict[str, Any]:
        return {
            "nb": self.book.id,
            "member": self.book.joiner.member_id,
            "invite": self.book.invite_id,  # used: revoking it is refused, not "not found"
            "promise": self.promise,
            "agreement": self.agreement["id"],
            "n": 1,
            "device": self.phone or new_id(),
            "link": self.link or new_id(),
            "entry": self.entry or new_id(),
        }


class Fuzzed:
    """Each operation's notebook, and the statuses each operation answered with."""

    def __init__(self, pool: dict[str, Seeded]) -> None:
        self.pool = pool
        self.answers: dict[str, Counter[int]] = {label: Counter() for label in pool}

    def __repr__(self) -> str:  # failure reports show the case, not every seeded key
        return f"Fuzzed({len(self.pool)} notebooks)"


async def _seed_devices(http: httpx.AsyncClient, seeded: Seeded) -> None:
    """A second device of the creator's, let in, and a link claimed by a third, waiting."""
    book = seeded.book
    phone, approved = await link_device(http, book, book.creator)
    assert approved.status_code == 200, approved.text
    made, newcomer = await open_link(http, book, book.creator), Device()
    claimed = await claim_link(http, book, made, newcomer)
    assert claimed.status_code == 201, claimed.text
    seeded.phone, seeded.link, seeded.newcomer = phone.id, made.id, newcomer.public


async def _seed_one(http: httpx.AsyncClient, label: str) -> Seeded:
    book = await paired(http)
    promise = item(book, book.joiner, "promise", {"text": "p"})
    making = ("promise.made", promise["id"], book.creator.member_id, promise["id"])
    made = await http.post(
        f"/v1/notebooks/{book.id}/promises",
        json=promise,
        headers=acting(book, book.joiner, making),
    )
    assert made.status_code == 201, made.text
    agreement = item(book, book.creator, "agreement", {"text": "a"})
    proposing = ("agreement.proposed", agreement["id"], "", agreement["id"])
    proposed = await http.post(
        f"/v1/notebooks/{book.id}/agreements",
        json=agreement,
        headers=acting(book, book.creator, proposing),
    )
    assert proposed.status_code == 201, proposed.text
    entry = ""
    if "{entry}" in label:
        prev = unb64((await head(http, book))["hash"])
        line = book.entry_body(book.creator, "a line to cross out", prev)
        written = await http.post(
            f"/v1/notebooks/{book.id}/entries", json=line, headers=book.creator.auth
        )
        assert written.status_code == 201, written.text
        entry = line["id"]
    seeded = Seeded(book, promise["id"], agreement, (await head(http, book))["hash"])
    seeded.entry = entry
    if "{device}" in label or "{link}" in label:
        await _seed_devices(http, seeded)
    return seeded


async def _seed(settings_: Settings) -> dict[str, Seeded]:
    app = create_app(settings_)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return {label: await _seed_one(http, label) for label in OPERATIONS}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """Seed with one app, then bind a fresh app on the same file for schemathesis."""
    folder = tmp_path_factory.mktemp("schemathesis")
    settings_ = Settings(
        database=folder / "unspoken.db", rate_limits=False, push_services=(PUSH_SERVICE,)
    )
    fuzzed = Fuzzed(asyncio.run(_seed(settings_)))
    APP.app = create_app(settings_)
    yield fuzzed
    asgi.shutdown_lifespans()  # schemathesis would keep the app running until the process ends
    APP.app = None
    stuck = [
        label for label, answers in fuzzed.answers.items() if answers and set(answers) <= DOORS
    ]
    assert not stuck, f"only ever 401/404, the fuzzer never got in: {stuck}"


def _negative(case: Any, where: ParameterLocation | None = None) -> bool:
    if case.meta is None:
        return False
    if where is None:
        return bool(case.meta.generation.mode.is_negative)
    return bool(case.meta.is_negative_at(where))


def _prepare(case: Any, seeded: Seeded, device: Device, real: int) -> None:
    """Real ids in the path (three cases in four), and a body and acts signed as the device
    would."""
    if real and case.path_parameters:
        wanted = seeded.params()
        case.path_parameters.update({k: wanted[k] for k in case.path_parameters if k in wanted})
    book = seeded.book
    partner = book.joiner if device is book.creator else book.creator
    sign_acts(case, book.id, device, seeded.where, partner.member_id)
    if real and case.operation.path == "/v1/invites/{invite}":
        if not _negative(case, ParameterLocation.HEADER):  # the link's holder looks at it
            case.headers = {**(case.headers or {}), "Invite-Claim": b64(seeded.book.invite_claim)}
    if _negative(case) or not isinstance(case.body, dict):
        return
    if real and case.operation.path.endswith("/entries"):  # the next entry in the chain
        case.body.update(chapter=1, prev=seeded.head)
    if case.operation.path.endswith("/sign"):
        case.body["sig"] = cosign(seeded.agreement, seeded.book.id, seeded.book.creator, device)
    if case.operation.path.endswith("/links/{link}/approve"):
        case.body["cert"] = certify(seeded.book.id, device, seeded.newcomer)
    sign_body(case, seeded.book.id, device)


@schema.given(role=st.sampled_from(["creator", "joiner"]), real=st.integers(0, 3))
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None)
def test_the_api_keeps_its_openapi_promises(
    case: Any, fuzzed: Fuzzed, role: str, real: int
) -> None:
    seeded = fuzzed.pool[case.operation.label]
    device: Device = getattr(seeded.book, role)
    _prepare(case, seeded, device, real)
    headers = {"Authorization": f"Bearer {device.token}"}
    if _negative(case, ParameterLocation.HEADER) and "Authorization" not in (case.headers or {}):
        headers = {}  # the case is about a missing token: leave it missing
    extra = {"timeout": STREAM_SECONDS} if case.operation.path.endswith("/events") else {}
    response = case.call_and_validate(headers=headers, **extra)
    fuzzed.answers[case.operation.label][response.status_code] += 1
    if response.status_code in (200, 201) and case.operation.path in ACTS:
        seeded.where.follow(response.json())  # the chapter and the pause, for the next acts
    if response.status_code == 201 and case.operation.path.endswith("/entries"):
        seeded.head = response.json()["hash"]
