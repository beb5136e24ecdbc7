"""Notices reach a real push endpoint over HTTP, VAPID-signed and encrypted for the device,
and carry no word: each of the four kinds, chosen notices, quiet hours, a gone endpoint."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from api.helpers import Act, Book, Device, acting, asked, paired
from unspoken.server import sweeper
from unspoken.server.services import Services

from .receiver import PushDevice, PushService, vapid_claims

WORDS = "I never meant for things to end this way"
GENESIS = bytes(32)


def _services(app: FastAPI) -> Services:
    services: Services = app.state.services
    return services


async def _settled(app: FastAPI) -> None:
    push = _services(app).push
    assert push is not None
    await push.idle()


async def _subscribe(
    http: httpx.AsyncClient, book: Book, device: Device, phone: PushDevice, **preferences: Any
) -> None:
    base = f"/v1/notebooks/{book.id}/push"
    answer = await http.put(f"{base}/subscription", json=phone.subscription(), headers=device.auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["subscribed"] is True
    if preferences:
        answer = await http.put(f"{base}/preferences", json=preferences, headers=device.auth)
        assert answer.status_code == 200, answer.text


async def _write(http: httpx.AsyncClient, book: Book, text: str = WORDS) -> None:
    body = book.entry_body(book.creator, text, GENESIS)
    url = f"/v1/notebooks/{book.id}/entries"
    assert (await http.post(url, json=body, headers=book.creator.auth)).status_code == 201


def _signed(book: Book, path: str, body: dict[str, Any]) -> Act:
    """The creator's act for `path`: passing the pen, a pause (with no note), ready."""
    if path == "pen/pass":
        return ("pen.passed", "1", book.joiner.member_id, "")
    if path == "pause":
        return ("pause.started", "", f"{body['minutes']}@{body['asked']}", "")
    assert path == "pause/ready", path
    return ("pause.ended", "", "ready", "")


async def _act(http: httpx.AsyncClient, book: Book, path: str, **body: Any) -> None:
    url = f"/v1/notebooks/{book.id}/{path}"
    if path == "pause":
        body["asked"] = asked()  # on this device's clock, a moment after the server's
    headers = acting(book, book.creator, _signed(book, path, body))
    answer = await http.post(url, json=body or None, headers=headers)
    assert answer.status_code in (200, 201), answer.text


async def test_the_four_notices_arrive_signed_encrypted_and_wordless(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService, clock: Any
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    server_key = (await client.get("/v1/push/key")).json()["key"]

    await _write(client, book)  # there is something new
    await _settled(app)
    await _act(client, book, "pen/pass")  # the pen is yours
    await _settled(app)
    await _act(client, book, "pause", minutes=20)  # she asked for time: something new
    await _settled(app)
    await _act(client, book, "pause/ready")  # she is ready to talk
    await _settled(app)
    await _act(client, book, "pause", minutes=20)
    await _settled(app)
    clock.advance(minutes=21)
    await sweeper.sweep_once(_services(app))  # the pause ran out
    await _settled(app)

    arrivals = push_service.wait_for(phone.path, 6)
    notices = [phone.open(arrival) for arrival in arrivals]
    assert [n["kind"] for n in notices] == ["new", "pen", "new", "ready", "new", "pause-ended"]
    for notice, arrival in zip(notices, arrivals, strict=True):
        assert notice == {"kind": notice["kind"], "notebook": book.id}
        claims = vapid_claims(arrival, server_key)
        assert claims["aud"] == push_service.origin
        assert claims["sub"].startswith("mailto:")
        assert 0 < claims["exp"] - datetime.now(UTC).timestamp() <= 24 * 3600
        assert int(arrival.headers["TTL"]) > 0
        assert WORDS.encode() not in arrival.body
    opened = str(notices)
    assert all(word not in opened for word in WORDS.split() if len(word) > 3)
    # Every notice is the same size on the wire: its length says nothing about its kind.
    assert len({len(arrival.body) for arrival in arrivals}) == 1
    # Nobody is told of their own doing: the writer's device had no endpoint, James got all.
    assert len(push_service.arrivals) == 6


async def test_a_device_gets_only_the_notices_it_chose(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone, notices=["pen"])
    await _write(client, book)
    await _settled(app)
    assert push_service.to(phone.path) == []
    await _act(client, book, "pen/pass")
    await _settled(app)
    assert [phone.open(a)["kind"] for a in push_service.wait_for(phone.path, 1)] == ["pen"]


async def test_the_one_who_acts_is_not_told(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    writer = PushDevice(push_service)
    await _subscribe(client, book, book.creator, writer)
    await _write(client, book)
    await _act(client, book, "pen/pass")
    await _settled(app)
    assert push_service.to(writer.path) == []


async def test_quiet_hours_hold_notices_until_they_end(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService, clock: Any
) -> None:
    clock.now = datetime(2026, 1, 15, 23, 0, tzinfo=UTC)  # 23:00 in London (winter: UTC)
    book = await paired(client)
    phone = PushDevice(push_service)
    quiet = {"start": "22:00", "end": "07:00", "zone": "Europe/London"}
    await _subscribe(client, book, book.joiner, phone, notices=["new", "pen"], quiet=quiet)
    shown = await client.get(f"/v1/notebooks/{book.id}/push", headers=book.joiner.auth)
    assert shown.json() == {"subscribed": True, "notices": ["new", "pen"], "quiet": quiet}

    await _write(client, book)
    await _write_again(client, book)
    await _act(client, book, "pen/pass")
    await _settled(app)
    clock.advance(hours=7)  # 06:00: still quiet
    await sweeper.sweep_once(_services(app))
    await _settled(app)
    assert push_service.to(phone.path) == []

    clock.advance(hours=1, minutes=30)  # 07:30: the night is over
    await sweeper.sweep_once(_services(app))
    await sweeper.sweep_once(_services(app))  # a second sweep finds nothing left to send
    await _settled(app)
    kinds = [phone.open(a)["kind"] for a in push_service.wait_for(phone.path, 2)]
    assert sorted(kinds) == ["new", "pen"]  # each kind once, however many entries


async def _write_again(client: httpx.AsyncClient, book: Book) -> None:
    """A second entry on top of the first."""
    page = await client.get(f"/v1/notebooks/{book.id}/records", headers=book.creator.auth)
    head = [r for r in page.json()["records"] if r["kind"] == "entry"][-1]["hash"]
    from api.helpers import unb64

    body = book.entry_body(book.creator, "And another thing", unb64(head))
    url = f"/v1/notebooks/{book.id}/entries"
    assert (await client.post(url, json=body, headers=book.creator.auth)).status_code == 201


async def test_quiet_hours_are_on_the_devices_own_clock(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService, clock: Any
) -> None:
    clock.now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 19:30 in New York
    book = await paired(client)
    phone = PushDevice(push_service)
    quiet = {"start": "22:00", "end": "07:00", "zone": "America/New_York"}
    await _subscribe(client, book, book.joiner, phone, notices=["new"], quiet=quiet)
    await _write(client, book)
    await _settled(app)
    assert [phone.open(a)["kind"] for a in push_service.wait_for(phone.path, 1)] == ["new"]


async def test_a_gone_endpoint_is_forgotten(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    push_service.answers.append(410)
    await _write(client, book)
    await _settled(app)
    assert len(push_service.to(phone.path)) == 1
    shown = await client.get(f"/v1/notebooks/{book.id}/push", headers=book.joiner.auth)
    assert shown.json()["subscribed"] is False
    await _act(client, book, "pen/pass")
    await _settled(app)
    assert len(push_service.to(phone.path)) == 1  # nothing more is sent there


async def test_a_failing_push_service_is_tried_three_times_at_most(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    push = _services(app).push
    assert push is not None
    push.retry_delays = (0.05, 0.05)
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    push_service.answers.extend([500, 503, 500])
    await _write(client, book)
    await _settled(app)
    assert len(push_service.to(phone.path)) == 3 and push.sent == 0

    push_service.answers.extend([429])  # too many: once more after a pause, then it goes
    await _act(client, book, "pen/pass")
    await _settled(app)
    assert len(push_service.to(phone.path)) == 5 and push.sent == 1
    assert phone.open(push_service.to(phone.path)[-1])["kind"] == "pen"
    shown = await client.get(f"/v1/notebooks/{book.id}/push", headers=book.joiner.auth)
    assert shown.json()["subscribed"] is True  # a failing service is not a gone endpoint


async def test_an_unreachable_push_service_does_not_slow_the_write(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    push = _services(app).push
    assert push is not None
    push.retry_delays = (30.0,)
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    push_service.answers.append(503)
    started = datetime.now(UTC)
    await _write(client, book)
    assert datetime.now(UTC) - started < timedelta(seconds=5)  # the answer did not wait
    push_service.wait_for(phone.path, 1)


async def _three_notices(app: FastAPI, http: httpx.AsyncClient, book: Book) -> None:
    """The creator passes the pen, asks for time and is ready: each earns the joiner a notice."""
    for path, body in (("pen/pass", {}), ("pause", {"minutes": 20}), ("pause/ready", {})):
        await _act(http, book, path, **body)
        await _settled(app)


class _Reads:
    """The pusher's store, counting its reads; `hold` keeps each answer back until set, and
    `found` is set once a read has its answer from the database."""

    def __init__(self, store: Any) -> None:
        self.store, self.reads, self.hold, self.found = store, 0, asyncio.Event(), asyncio.Event()
        self.hold.set()

    async def read(self, fn: Any) -> Any:
        self.reads += 1
        found = await self.store.read(fn)
        self.found.set()
        await self.hold.wait()
        return found

    async def write(self, fn: Any) -> Any:
        return await self.store.write(fn)


def _counted(app: FastAPI) -> _Reads:
    push = _services(app).push
    assert push is not None
    reads = _Reads(push.store)
    push.store = reads
    return reads


async def test_a_notebook_nobody_subscribed_to_is_not_asked_again_at_every_commit(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    book = await paired(client)
    reads = _counted(app)
    await _three_notices(app, client, book)
    assert reads.reads == 1


async def test_a_device_that_subscribes_after_silence_hears_the_very_next_notice(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    await _write(client, book)  # nobody to tell, and the pusher remembers it
    await _settled(app)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    await _act(client, book, "pen/pass")
    await _settled(app)
    assert [phone.open(a)["kind"] for a in push_service.to(phone.path)] == ["pen"]


async def test_a_subscription_made_while_the_pusher_looks_is_not_taken_for_silence(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    reads = _counted(app)
    reads.hold.clear()
    await _act(client, book, "pen/pass")  # its read finds nobody, and waits to answer
    await asyncio.wait_for(reads.found.wait(), 10)  # the pusher runs after the answer
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)  # meanwhile the joiner subscribes
    reads.hold.set()
    await _settled(app)
    await _act(client, book, "pause", minutes=20)
    await _settled(app)
    assert [phone.open(a)["kind"] for a in push_service.to(phone.path)] == ["new"]
    assert reads.reads == 2


async def test_a_subscribed_notebook_is_asked_once_while_nobody_changes(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    reads = _counted(app)
    await _three_notices(app, client, book)
    assert len(push_service.wait_for(phone.path, 3)) == 3
    assert reads.reads == 1


async def test_new_preferences_are_heard_at_the_very_next_notice(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone, notices=["pen"])
    await _act(client, book, "pen/pass")  # heard, and who hears is remembered
    await _settled(app)
    base = f"/v1/notebooks/{book.id}/push"
    changed = await client.put(
        f"{base}/preferences", json={"notices": ["new"]}, headers=book.joiner.auth
    )
    assert changed.status_code == 200, changed.text
    await _act(client, book, "pause", minutes=20)
    await _settled(app)
    kinds = [phone.open(a)["kind"] for a in push_service.wait_for(phone.path, 2)]
    assert kinds == ["pen", "new"]


async def test_a_device_that_unsubscribes_hears_nothing_more(
    app: FastAPI, client: httpx.AsyncClient, push_service: PushService
) -> None:
    book = await paired(client)
    phone = PushDevice(push_service)
    await _subscribe(client, book, book.joiner, phone)
    await _act(client, book, "pen/pass")
    await _settled(app)
    gone = await client.delete(
        f"/v1/notebooks/{book.id}/push/subscription", headers=book.joiner.auth
    )
    assert gone.status_code == 204, gone.text
    await _act(client, book, "pause", minutes=20)
    await _settled(app)
    assert [phone.open(a)["kind"] for a in push_service.to(phone.path)] == ["pen"]
