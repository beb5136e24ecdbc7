"""The live stream: replay from the store, then forward the broker, in order, never twice.

One coroutine per connection sends everything; its notebook's channel (server/live.py) fills
its mailbox with frames encoded once for every stream of the notebook, and one timer in the
process asks for the heartbeat comment. A parked read of the request notices a client that
went away.
"""

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import WithJsonSchema
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.problems import Problem
from unspoken.api.schemas import MAX_SEQ
from unspoken.server import reads
from unspoken.server.frames import PING, Frame, record_frame
from unspoken.server.live import Mailbox
from unspoken.server.services import Services
from unspoken.server.wire import record_json

router = APIRouter(prefix="/v1", tags=["events"])
PAGE = 500
_ENDINGS = frozenset({"member.declined", "member.left"})
# What a browser sends back: a sequence number we gave it (18 digits stay below MAX_SEQ).
LAST_EVENT_ID = r"^[0-9]{1,18}$"
_SEQUENCE = re.compile(LAST_EVENT_ID)
# Absent or a value: never `null` on the wire, so the document offers no null.
_AFTER = {"type": "integer", "minimum": 0, "maximum": MAX_SEQ}
_LAST_EVENT_ID = {"type": "string", "pattern": LAST_EVENT_ID}
# Each event as a reader parses it: `id` the record's seq, `event` its kind, `data` its JSON
# (a draft frame has no id: it is not in the log). Heartbeats are comments, not events.
_EVENT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": LAST_EVENT_ID},
        "event": {"type": "string"},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
    "required": ["event", "data"],
}
_STREAM = "One event per record, then each new record as it commits; draft frames live"
_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}  # nginx: do not buffer
_END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def start_of(last_event_id: str | None, after: int | None) -> int:
    """Where a stream begins: after the Last-Event-ID a browser sends back, else `after`."""
    if last_event_id is None:
        return after or 0
    if not _SEQUENCE.fullmatch(last_event_id):  # ASCII digits only: int("²") raises
        detail = "The header 'Last-Event-ID' must be a sequence number."
        raise Problem(422, "Invalid request", detail)
    return int(last_event_id)


def _body(chunks: list[bytes]) -> Message:
    return {"type": "http.response.body", "body": b"".join(chunks), "more_body": True}


class EventStream(Response):
    """text/event-stream for one member of one notebook, from `after` on."""

    media_type = "text/event-stream"

    def __init__(
        self, services: Services, notebook_id: str, me: tuple[str, str], after: int
    ) -> None:
        # Not Response.__init__: it would announce a body of zero bytes (Content-Length: 0).
        self.status_code, self.background = 200, None
        self.init_headers(_HEADERS)
        self.services, self.notebook_id, self.last = services, notebook_id, after
        self.mailbox = Mailbox(me[0])
        self.device = me[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A copy: the layers above add their headers to the list, and it need not outlive this.
        headers = list(self.raw_headers)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        del headers
        if scope["method"] != "HEAD":
            hub = self.services.streams
            gone = asyncio.ensure_future(_until_disconnect(receive, self.mailbox))
            try:
                async with hub.watch(self.notebook_id, self.mailbox):  # subscribe, then replay
                    await self._serve(send)
            finally:
                gone.cancel()
        await send(_END)

    async def _serve(self, send: Send) -> None:
        box = self.mailbox
        chunks: list[bytes] = []
        ended = await self._catch_up(send, chunks)
        while True:
            if chunks:
                await send(_body(chunks))
                chunks.clear()
            if ended:
                return
            await box.wait()
            if box.ended:
                return
            ended = await self._round(send, chunks)
            if box.ping and not chunks:
                chunks.append(PING)
            box.ping = False

    async def _round(self, send: Send, chunks: list[bytes]) -> bool:
        """Queue what the mailbox holds; True when the stream ends with it."""
        box = self.mailbox
        if box.resync:  # the broker may have lost records: read what was missed
            box.resync = False
            if await self._catch_up(send, chunks):
                return True
        for frame in box.take():
            if await self._take(send, frame, chunks):
                return True
        return False

    async def _take(self, send: Send, frame: Frame, chunks: list[bytes]) -> bool:
        """Queue one frame from the broker; True when the stream ends with it."""
        if frame.seq is None:  # a draft frame: relayed live, never stored
            chunks.append(frame.data)
        elif frame.seq == self.last + 1:
            chunks.append(frame.data)
            self.last = frame.seq
            return self._ends(frame)
        elif frame.seq > self.last:  # a gap: the store has everything up to here and more
            return await self._catch_up(send, chunks)
        return False

    def _ends(self, frame: Frame) -> bool:
        """A declined joiner's, a leaver's or a revoked device's stream ends with the news."""
        if frame.kind == "device.revoked":
            return frame.device == self.device
        return frame.kind in _ENDINGS and frame.member == self.mailbox.member

    async def _catch_up(self, send: Send, chunks: list[bytes]) -> bool:
        """Queue every stored record after the last one sent, sending a page at a time;
        True when the stream ends with one of them (then the caller sends the rest)."""
        async for page in _stored(self.services, self.notebook_id, self.last):
            for record in page:
                frame = record_frame(record_json(record))
                chunks.append(frame.data)
                self.last = record.seq
                if self._ends(frame):
                    return True
            await send(_body(chunks))
            chunks.clear()
        return False


async def _stored(services: Services, notebook_id: str, after: int) -> AsyncIterator[Any]:
    """Every stored record after `after`, a page at a time."""
    while page := await reads.records(services.store, notebook_id, after, PAGE):
        yield page
        after = page[-1].seq


async def _until_disconnect(receive: Receive, mailbox: Mailbox) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    mailbox.end()


@router.get(
    "/notebooks/{nb}/events",
    status_code=200,
    response_class=EventStream,
    responses={200: {"content": {"text/event-stream": {"schema": _EVENT}}, "description": _STREAM}},
)
async def events(
    nb: str,
    me: MemberDep,
    services: ServicesDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ), WithJsonSchema(_AFTER)] = None,
    last_event_id: Annotated[str | None, Header(), WithJsonSchema(_LAST_EVENT_ID)] = None,
) -> EventStream:
    start = start_of(last_event_id, after)
    return EventStream(services, nb, (me.member.id, me.device_id), start)
