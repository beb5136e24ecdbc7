"""The live stream: replay from the store, then forward the broker, in order, never twice."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Header, Query
from pydantic import WithJsonSchema
from sse_starlette import EventSourceResponse, ServerSentEvent

from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.schemas import MAX_SEQ
from unspoken.api.views import record_json
from unspoken.broker import WireRecord
from unspoken.problems import Problem
from unspoken.store import Store

router = APIRouter(prefix="/v1", tags=["events"])
PAGE = 500
_ENDINGS = frozenset({"member.declined", "member.left"})
SHUTDOWN_GRACE_SECONDS = 2.0
T = TypeVar("T")
# What a browser sends back: a sequence number we gave it (18 digits stay below MAX_SEQ).
LAST_EVENT_ID = r"^[0-9]{1,18}$"
_SEQUENCE = re.compile(LAST_EVENT_ID)
# Absent or a value: never `null` on the wire, so the document offers no null.
_AFTER = {"type": "integer", "minimum": 0, "maximum": MAX_SEQ}
_LAST_EVENT_ID = {"type": "string", "pattern": LAST_EVENT_ID}


def _start(last_event_id: str | None, after: int | None) -> int:
    if last_event_id is None:
        return after or 0
    if not _SEQUENCE.fullmatch(last_event_id):  # ASCII digits only: int("²") raises
        detail = "The header 'Last-Event-ID' must be a sequence number."
        raise Problem(422, "Invalid request", detail)
    return int(last_event_id)


def _event(record: dict[str, Any]) -> ServerSentEvent:
    data = json.dumps(record, separators=(",", ":"))
    return ServerSentEvent(data=data, id=str(record["seq"]), event=record["kind"])


def _frame(frame: WireRecord) -> ServerSentEvent:
    """A draft frame has no id: it is not in the log, not counted in seq, never replayed."""
    return ServerSentEvent(data=json.dumps(dict(frame), separators=(",", ":")), event="draft")


async def _stored(store: Store, nb: str, after: int) -> AsyncIterator[dict[str, Any]]:
    """Every stored record after `after`, a page at a time."""
    while page := await store.records(nb, after, PAGE):
        for record in page:
            yield record_json(record)
        after = page[-1].seq


async def _catch_up(
    store: Store, nb: str, last: int, news: dict[str, Any]
) -> AsyncIterator[dict[str, Any]]:
    """What to send for one broker message: it alone, or, after a gap or a RESYNC (no seq),
    all that was missed."""
    if news.get("seq") == last + 1:
        yield news
    else:
        async for record in _stored(store, nb, last):
            yield record


async def _until(stop: anyio.Event, source: AsyncIterator[T]) -> AsyncIterator[T]:
    """Items from `source` until it ends or `stop` is set (server shutdown)."""
    stopping = asyncio.ensure_future(stop.wait())
    item: asyncio.Future[T] | None = None
    try:
        while True:
            item = asyncio.ensure_future(anext(source))
            await asyncio.wait((item, stopping), return_when=asyncio.FIRST_COMPLETED)
            if not item.done():
                return
            try:
                value = item.result()
            except StopAsyncIteration:
                return
            yield value
    finally:  # also on disconnect: leave no task waiting on the subscription
        stopping.cancel()
        if item is not None:
            item.cancel()


def _ends(record: dict[str, Any], me: tuple[str, str]) -> bool:
    """A declined joiner's, a leaver's or a revoked device's stream ends with the news."""
    if record["kind"] in _ENDINGS and record["member"] == me[0]:
        return True
    return record["kind"] == "device.revoked" and record.get("device") == me[1]


async def _stream(
    services: ServicesDep, nb: str, me: tuple[str, str], last: int, stop: anyio.Event
) -> AsyncIterator[Any]:
    async with services.broker.subscribe(nb) as live:  # subscribe first: nothing slips by
        async for record in _stored(services.store, nb, last):
            yield _event(record)
            last = record["seq"]
        async for news in _until(stop, live):
            if news.get("kind") == "draft":  # a draft frame: relayed live, never stored
                if news.get("member") != me[0]:
                    yield _frame(news)
                continue
            if news.get("seq", last + 1) <= last:
                continue
            async for record in _catch_up(services.store, nb, last, dict(news)):
                yield _event(record)
                last = record["seq"]
                if _ends(record, me):
                    return


@router.get(
    "/notebooks/{nb}/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "One event per record"}},
)
async def events(
    nb: str,
    me: MemberDep,
    services: ServicesDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ), WithJsonSchema(_AFTER)] = None,
    last_event_id: Annotated[str | None, Header(), WithJsonSchema(_LAST_EVENT_ID)] = None,
) -> EventSourceResponse:
    start, stop = _start(last_event_id, after), anyio.Event()
    return EventSourceResponse(
        _stream(services, nb, (me.member.id, me.device_id), start, stop),
        ping=services.settings.ping_seconds,
        shutdown_event=stop,
        shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
    )
