"""Protocol v2 signed acts at the server: a request that acts carries its device's signature over
each act it makes (the Unspoken-Act header), and the server refuses it, changing nothing, unless
every act record the request adds is exactly what that device signed. The acts here are signed
from the spec (helpers.act_message), not with unspoken.protocol.
"""

import os
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.helpers import (
    NOTHING_SEEN,
    Act,
    Book,
    Device,
    Unchanged,
    act_header,
    act_message,
    acting,
    asked,
    b64,
    item,
    link_device,
    new_id,
    paired,
    passing,
    problem,
    records,
    verify_act,
)
from conftest import Clock
from unspoken.app import create_app
from unspoken.server.sweeper import sweep_once
from unspoken.settings import Settings

UNSIGNED = "urn:unspoken:problem:act-unsigned"
MISMATCH = "urn:unspoken:problem:act-mismatch"


@dataclass
class Acting:
    """One request that acts, as a fresh paired notebook allows it: by whom, what it sends and
    the acts it makes, in the order the log will hold them."""

    path: str
    device: Device
    body: dict[str, Any] | None
    acts: tuple[Act, ...]

    def url(self, book: Book) -> str:
        return f"/v1/notebooks/{book.id}/{self.path}"

    async def send(
        self, http: httpx.AsyncClient, book: Book, headers: dict[str, str]
    ) -> httpx.Response:
        return await http.post(self.url(book), json=self.body, headers=headers)

    def signed(self, book: Book, seen: tuple[int, bytes] = NOTHING_SEEN) -> dict[str, str]:
        return acting(book, self.device, *self.acts, seen=seen)


def _pen_pass(book: Book) -> Acting:
    return Acting("pen/pass", book.creator, None, (("pen.passed", "1", book.joiner.member_id, ""),))


def _pen_ask(book: Book) -> Acting:
    return Acting("pen/ask", book.joiner, None, (("pen.asked", "1", "", ""),))


def _mode(book: Book) -> Acting:
    return Acting("mode", book.creator, {"mode": "open"}, (("mode.changed", "1", "open", ""),))


def _pause(book: Book, at: datetime | None = None) -> Acting:
    note = item(book, book.creator, "pause-note", {"text": "I need time"})
    body = {"minutes": 30, "asked": asked(at), "note": note}
    said = f"30@{body['asked']}"
    return Acting("pause", book.creator, body, (("pause.started", "", said, note["id"]),))


def _promise(book: Book) -> Acting:
    text = item(book, book.joiner, "promise", {"text": "I'll call"})
    made = ("promise.made", text["id"], book.creator.member_id, text["id"])
    return Acting("promises", book.joiner, text, (made,))


def _agreement(book: Book) -> Acting:
    text = item(book, book.creator, "agreement", {"text": "Let's try."})
    return Acting(
        "agreements", book.creator, text, (("agreement.proposed", text["id"], "", text["id"]),)
    )


def _close(book: Book) -> Acting:
    return Acting("chapters/1/close", book.creator, None, (("chapter.closed", "1", "", ""),))


def _new_chapter(book: Book) -> Acting:
    """A new chapter while the first is open: it closes chapter 1, then opens chapter 2."""
    meta = item(book, book.creator, "chapter", {"title": "After", "template": None}, ref="2")
    body = {"n": 2, "mode": "open", "meta": meta}
    acts = (("chapter.closed", "1", "", ""), ("chapter.opened", "2", "open", meta["id"]))
    return Acting("chapters", book.creator, body, acts)


def _leave(book: Book) -> Acting:
    return Acting("leave", book.joiner, None, (("member.left", "", "", ""),))


REQUESTS: dict[str, Callable[[Book], Acting]] = {
    "pen.passed": _pen_pass,
    "pen.asked": _pen_ask,
    "mode.changed": _mode,
    "pause.started": _pause,
    "promise.made": _promise,
    "agreement.proposed": _agreement,
    "chapter.closed": _close,
    "chapter.closed+opened": _new_chapter,
    "member.left": _leave,
}


def _header(seen: tuple[int, bytes], *sigs: bytes) -> str:
    return ".".join([str(seen[0]), b64(seen[1]), *(b64(sig) for sig in sigs)])


def _sig(book: Book, device: Device, act: Act, key: Device | None = None) -> bytes:
    """`device`'s act, signed with `key`'s private key (its own unless said)."""
    return (key or device).key.sign(act_message(book.id, device, act))


async def _refused(
    http: httpx.AsyncClient, book: Book, request: Acting, header: str, status: int, kind: str
) -> dict[str, Any]:
    """Send `request` with `header` as its Unspoken-Act; it must be refused and change nothing."""
    async with Unchanged(http, book):
        answer = await request.send(http, book, {**request.device.auth, "Unspoken-Act": header})
    body = problem(answer, status)
    assert body["type"] == kind, body
    return body


async def _new_records(http: httpx.AsyncClient, book: Book, before: int) -> list[dict[str, Any]]:
    return (await records(http, book, book.creator))[before:]


@pytest.mark.parametrize("name", REQUESTS)
async def test_an_act_without_its_signature_is_428_and_changes_nothing(
    client: httpx.AsyncClient, name: str
) -> None:
    book = await paired(client)
    request = REQUESTS[name](book)
    async with Unchanged(client, book):
        answer = await request.send(client, book, request.device.auth)
    body = problem(answer, 428)
    assert body["type"] == UNSIGNED and "Unspoken-Act" in body["detail"]


@pytest.mark.parametrize("name", REQUESTS)
async def test_a_signed_act_is_done_and_kept_in_its_record(
    client: httpx.AsyncClient, name: str
) -> None:
    book = await paired(client)
    request = REQUESTS[name](book)
    before = len(await records(client, book, book.creator))
    answer = await request.send(client, book, request.signed(book))
    assert answer.status_code in (200, 201), answer.text
    made = [r for r in await _new_records(client, book, before) if "act" in r]
    assert [r["kind"] for r in made] == [act[0] for act in request.acts]
    for record, act in zip(made, request.acts, strict=True):
        assert (record["act"]["seen"], record["act"]["digest"]) == (0, b64(bytes(32)))
        verify_act(book, request.device, record, act)


MALFORMED = [
    "",
    "signed",
    "0",
    "0.{digest}",  # no signature
    "0.{digest}.{sig}.{sig}.{sig}",  # three signatures: no request makes more than two acts
    "-1.{digest}.{sig}",
    "01.{digest}.{sig}",  # a decimal has no leading zero
    "x.{digest}.{sig}",
    "0.{short}.{sig}",  # a digest is 32 bytes
    "0.{digest}.{short}",  # a signature is 64 bytes
    "0.{digest}.{sig}=",  # base64url without padding
    "0.{digest}.{sig}.",
    "0.{digest}.!{sig}",
]


@pytest.mark.parametrize("shape", MALFORMED)
async def test_a_malformed_act_header_is_428_and_changes_nothing(
    client: httpx.AsyncClient, shape: str
) -> None:
    book = await paired(client)
    request = _pen_pass(book)
    sig = b64(_sig(book, book.creator, request.acts[0]))
    header = shape.format(digest=b64(bytes(32)), sig=sig, short=b64(os.urandom(31)))
    await _refused(client, book, request, header, 428, UNSIGNED)


HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-_.=+/ ", max_size=200)
SIGNATURES = st.lists(st.binary(min_size=64, max_size=64), min_size=1, max_size=2)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
async def test_any_act_header_but_the_right_one_is_refused_cleanly(
    client: httpx.AsyncClient, data: st.DataObject
) -> None:
    """Arbitrary text (428), or well-formed with random signatures (409): never done."""
    book = await paired(client)
    request = _pen_pass(book)
    seen = data.draw(
        st.tuples(st.integers(0, 9), st.binary(min_size=32, max_size=32))
    )  # near the head
    header = data.draw(HEADER_TEXT | SIGNATURES.map(lambda sigs: _header(seen, *sigs)))
    async with Unchanged(client, book):
        answer = await request.send(client, book, {**book.creator.auth, "Unspoken-Act": header})
    assert answer.status_code in (409, 428), answer.text
    assert problem(answer, answer.status_code)["type"] in (UNSIGNED, MISMATCH)


async def test_an_act_signed_by_the_partners_device_is_409_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    request = _pen_pass(book)
    act = request.acts[0]
    # The creator's very act, with the partner's key; then the partner's own act of it.
    borrowed = _sig(book, book.creator, act, key=book.joiner)
    await _refused(client, book, request, _header(NOTHING_SEEN, borrowed), 409, MISMATCH)
    theirs = act_header(book.id, book.joiner, act)
    await _refused(client, book, request, theirs, 409, MISMATCH)
    # A second device of the same member is not the device that sends the request either.
    phone, approved = await link_device(client, book, book.creator)
    assert approved.status_code == 200, approved.text
    await _refused(client, book, request, act_header(book.id, phone, act), 409, MISMATCH)


async def test_an_act_signed_over_other_fields_is_409_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    creator, joiner = book.creator, book.joiner
    passed = _pen_pass(book)
    others: list[Act] = [
        ("pen.passed", "1", creator.member_id, ""),  # the pen passed to yourself
        ("pen.passed", "2", joiner.member_id, ""),  # in another chapter
        ("pen.passed", "1", joiner.member_id, new_id()),  # with an item
        ("pen.asked", "1", "", ""),  # another kind
    ]
    for other in others:
        await _refused(client, book, passed, act_header(book.id, creator, other), 409, MISMATCH)
    elsewhere = _sig(Book(id=book.id[::-1]), creator, passed.acts[0])  # another notebook
    await _refused(client, book, passed, _header(NOTHING_SEEN, elsewhere), 409, MISMATCH)
    mode = _mode(book)
    turns = act_header(book.id, creator, ("mode.changed", "1", "turns", ""))
    await _refused(client, book, mode, turns, 409, MISMATCH)
    pause = _pause(book)
    said = pause.acts[0][2]
    no_note = act_header(book.id, creator, ("pause.started", "", said, ""))
    await _refused(client, book, pause, no_note, 409, MISMATCH)
    longer = act_header(book.id, creator, ("pause.started", "", "60" + said[2:], pause.acts[0][3]))
    await _refused(client, book, pause, longer, 409, MISMATCH)
    earlier = f"30@{int(said[3:]) - 60_000}"  # asked a minute before, it says
    sooner = act_header(book.id, creator, ("pause.started", "", earlier, pause.acts[0][3]))
    await _refused(client, book, pause, sooner, 409, MISMATCH)


async def test_a_promise_marked_broken_is_not_one_signed_as_kept(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    made = _promise(book)
    assert (await made.send(client, book, made.signed(book))).status_code == 201
    promise = made.acts[0][1]
    base = f"/v1/notebooks/{book.id}/promises/{promise}"
    acked = ("promise.acknowledged", promise, "", "")
    assert (
        await client.post(f"{base}/acknowledge", headers=acting(book, book.creator, acked))
    ).status_code == 200
    note = item(book, book.creator, "promise-note", {"text": "Not this time"}, ref=promise)
    broken = Acting(
        f"promises/{promise}/mark",
        book.creator,
        {"outcome": "broken", "note": note},
        (("promise.marked", promise, "broken", note["id"]),),
    )
    kept = act_header(book.id, book.creator, ("promise.marked", promise, "kept", note["id"]))
    await _refused(client, book, broken, kept, 409, MISMATCH)
    bare = act_header(book.id, book.creator, ("promise.marked", promise, "broken", ""))
    await _refused(client, book, broken, bare, 409, MISMATCH)  # the note is signed too
    answer = await broken.send(client, book, broken.signed(book))
    assert answer.json()["state"] == "broken"
    [record] = (await records(client, book, book.joiner))[-1:]
    assert (record["kind"], record["outcome"]) == ("promise.marked", "broken")
    verify_act(book, book.creator, record, broken.acts[0])


async def test_seen_may_not_be_beyond_the_head(client: httpx.AsyncClient) -> None:
    """A device names the last record it had applied: never one the log does not hold yet.
    The digest there is for the partner's device to check; the server keeps it as said."""
    book = await paired(client)
    request = _pen_pass(book)
    head = (await client.get(f"/v1/notebooks/{book.id}/records", headers=book.creator.auth)).json()
    seq = head["head_seq"]
    beyond = act_header(book.id, book.creator, *request.acts, seen=(seq + 1, bytes(32)))
    await _refused(client, book, request, beyond, 409, MISMATCH)
    far = act_header(book.id, book.creator, *request.acts, seen=(10**6, bytes(32)))
    await _refused(client, book, request, far, 409, MISMATCH)
    digest = os.urandom(32)
    answer = await request.send(client, book, request.signed(book, seen=(seq, digest)))
    assert answer.status_code == 200, answer.text
    record = (await records(client, book, book.joiner))[-1]
    assert (record["act"]["seen"], record["act"]["digest"]) == (seq, b64(digest))
    verify_act(book, book.creator, record, request.acts[0])


async def test_a_signature_beyond_the_acts_made_is_409(client: httpx.AsyncClient) -> None:
    book = await paired(client)
    request = _pen_pass(book)
    act = request.acts[0]
    twice = act_header(book.id, book.creator, act, act)
    await _refused(client, book, request, twice, 409, MISMATCH)
    knock = ("pen.asked", "1", "", "")
    extra = act_header(book.id, book.creator, act, knock)
    await _refused(client, book, request, extra, 409, MISMATCH)
    # A new chapter after a closed one is opened only: a closing signed beside it is one too many.
    close = _close(book)
    assert (await close.send(client, book, close.signed(book))).status_code == 200
    opening = _new_chapter(book)
    both = act_header(book.id, book.creator, *opening.acts)
    await _refused(client, book, opening, both, 409, MISMATCH)
    only = {**book.creator.auth, "Unspoken-Act": act_header(book.id, book.creator, opening.acts[1])}
    assert (await opening.send(client, book, only)).status_code == 201


async def test_a_new_chapter_while_one_is_open_needs_both_signatures_in_log_order(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    request = _new_chapter(book)
    closed, opened = request.acts
    for acts in [(opened,), (closed,), (opened, closed)]:
        header = act_header(book.id, book.creator, *acts)
        await _refused(client, book, request, header, 409, MISMATCH)
    before = len(await records(client, book, book.creator))
    answer = await request.send(client, book, request.signed(book))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["chapter"], answer.json()["mode"]) == (2, "open")
    new = await _new_records(client, book, before)
    assert [r["kind"] for r in new] == ["chapter.closed", "chapter.opened"]
    verify_act(book, book.creator, new[0], closed)
    verify_act(book, book.creator, new[1], opened)
    assert new[1]["meta"]["id"] == opened[3]


async def test_the_clocks_pause_end_carries_no_act_and_ready_does(
    client: httpx.AsyncClient, clock: Clock, app: FastAPI
) -> None:
    book = await paired(client)
    pause = _pause(book, clock.now)
    assert (await pause.send(client, book, pause.signed(book))).status_code == 201
    clock.advance(minutes=30)
    await sweep_once(app.state.services)
    started, ended = (await records(client, book, book.joiner))[-2:]
    verify_act(book, book.creator, started, pause.acts[0])
    assert (ended["kind"], ended["reason"], ended["member"]) == (
        "pause.ended",
        "expired",
        book.creator.member_id,
    )
    assert ended.get("act") is None  # nobody did it: the clock did
    pause = _pause(book, clock.now)
    assert (await pause.send(client, book, pause.signed(book))).status_code == 201
    ready = Acting("pause/ready", book.creator, None, (("pause.ended", "", "ready", ""),))
    assert (await ready.send(client, book, ready.signed(book))).status_code == 200
    last = (await records(client, book, book.joiner))[-1]
    assert (last["kind"], last["reason"]) == ("pause.ended", "ready")
    verify_act(book, book.creator, last, ready.acts[0])


async def test_a_pause_ended_by_a_goodbye_is_not_the_leavers_act(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    pause = _pause(book)
    assert (await pause.send(client, book, pause.signed(book))).status_code == 201
    leave = Acting("leave", book.creator, None, (("member.left", "", "", ""),))
    before = len(await records(client, book, book.joiner))
    assert (await leave.send(client, book, leave.signed(book))).status_code == 200
    new = (await records(client, book, book.joiner))[before:]
    assert [(r["kind"], r.get("reason")) for r in new] == [
        ("pause.ended", "left"),
        ("member.left", None),
    ]
    assert new[0].get("act") is None
    verify_act(book, book.creator, new[1], leave.acts[0])


async def test_the_pen_passed_back_is_signed_by_the_one_who_holds_it_now(
    client: httpx.AsyncClient,
) -> None:
    book = await paired(client)
    url = f"/v1/notebooks/{book.id}/pen/pass"
    assert (await client.post(url, headers=passing(book, book.creator))).status_code == 200
    back = Acting("pen/pass", book.joiner, None, (("pen.passed", "1", book.creator.member_id, ""),))
    stale = act_header(book.id, book.creator, _pen_pass(book).acts[0])  # the first passing
    await _refused(client, book, back, stale, 409, MISMATCH)
    assert (await back.send(client, book, back.signed(book))).status_code == 200
    last = (await records(client, book, book.creator))[-1]
    verify_act(book, book.joiner, last, back.acts[0])


DOCUMENT = create_app(Settings(database=Path("never-opened.db"))).openapi()
ACTING_PATHS = [
    "/v1/notebooks/{nb}/" + path
    for path in (
        "pen/pass",
        "pen/ask",
        "mode",
        "pause",
        "pause/here",
        "pause/ready",
        "promises",
        "promises/{promise}/acknowledge",
        "promises/{promise}/withdraw",
        "promises/{promise}/mark",
        "agreements",
        "agreements/{agreement}/sign",
        "agreements/{agreement}/not-yet",
        "agreements/{agreement}/revise",
        "chapters",
        "chapters/{n}/close",
        "mirror",
        "leave",
        "entries/{entry}/cross",
    )
]


@pytest.mark.parametrize("path", ACTING_PATHS)
def test_every_operation_that_acts_documents_its_header(path: str) -> None:
    operation = DOCUMENT["paths"][path]["post"]
    headers = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [p["name"].lower() for p in headers] == ["unspoken-act"]
    assert "Protocol v2" in headers[0]["description"]


def test_every_operation_that_acts_documents_its_428() -> None:
    missing = [p for p in ACTING_PATHS if "428" not in DOCUMENT["paths"][p]["post"]["responses"]]
    assert not missing, missing
