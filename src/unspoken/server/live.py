"""The live streams of one process: one broker listener per notebook, shared by all its
streams (a record is encoded once for all of them), and one timer for every stream's
heartbeat. A stream is a mailbox its connection's coroutine empties; nothing here sends."""

import asyncio
import itertools
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from unspoken.broker import Broker, WireRecord
from unspoken.server.frames import LIVE_KINDS, Frame, draft_frame, record_frame

QUEUE_SIZE = 1024  # frames waiting per stream; a slow reader loses the oldest (refilled by seq)
TICK_SECONDS = 0.5


class Mailbox:
    """What one stream has to send next. Filled by its notebook's channel and the timer.
    Lean on purpose (slots, a plain list): ten thousand of them sit idle at once."""

    __slots__ = ("member", "frames", "resync", "ping", "ended", "_waiter")

    def __init__(self, member: str) -> None:
        self.member = member
        self.frames: list[Frame] = []
        self.resync = self.ping = self.ended = False
        self._waiter: asyncio.Future[None] | None = None

    def put(self, frame: Frame) -> None:
        if frame.seq is None and frame.member == self.member:
            return  # a device's own live frames (drafts, read positions) are not sent back
        if len(self.frames) >= QUEUE_SIZE:
            del self.frames[0]
        self.frames.append(frame)
        self._wake()

    def take(self) -> list[Frame]:
        frames, self.frames = self.frames, []
        return frames

    def need_resync(self) -> None:
        self.resync = True
        self._wake()

    def need_ping(self) -> None:
        self.ping = True
        self._wake()

    def end(self) -> None:
        self.ended = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self) -> None:
        """Until there is something to do."""
        while not (self.frames or self.resync or self.ping or self.ended):
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None


class _Channel:
    """One notebook's streams in this process, behind one broker listener."""

    __slots__ = ("mailboxes", "listener", "opening", "arrived")

    def __init__(
        self, broker: Broker, notebook_id: str, arrived: Callable[[WireRecord], None]
    ) -> None:
        self.mailboxes: set[Mailbox] = set()
        self.arrived = arrived
        self.listener = broker.listen(notebook_id, self.deliver)
        self.opening: asyncio.Future[None] | None = asyncio.ensure_future(self._open())

    async def _open(self) -> None:
        await self.listener.__aenter__()

    async def opened(self) -> None:
        """Until the broker listens (at once, after the first stream of the notebook)."""
        if self.opening is not None:
            await asyncio.shield(self.opening)
            self.opening = None

    async def close(self) -> None:
        """Leave the broker; a listener still being opened finishes opening first."""
        try:
            await self.opened()
        except Exception:
            return  # it never opened: nothing to leave
        await self.listener.__aexit__(None, None, None)

    def deliver(self, record: WireRecord | None) -> None:
        if record is None:  # the broker closed: the server is stopping
            for mailbox in tuple(self.mailboxes):
                mailbox.end()
        elif record.get("kind") in LIVE_KINDS:
            frame = draft_frame(record)
            for mailbox in tuple(self.mailboxes):
                mailbox.put(frame)
        elif "seq" not in record:  # RESYNC: records may have been lost on the way
            for mailbox in tuple(self.mailboxes):
                mailbox.need_resync()
        else:
            self.arrived(record)
            frame = record_frame(record)
            for mailbox in tuple(self.mailboxes):
                mailbox.put(frame)


class Hub:
    def __init__(
        self,
        broker: Broker,
        heartbeat_seconds: float,
        arrived: Callable[[WireRecord], None] = lambda record: None,
    ) -> None:
        self._broker = broker
        self._arrived = arrived
        self._channels: dict[str, _Channel] = {}
        self._beats: list[set[Mailbox]] = [
            set() for _ in range(max(1, round(heartbeat_seconds / TICK_SECONDS)))
        ]
        self._turns = itertools.cycle(range(len(self._beats)))
        self._timer: asyncio.Task[None] | None = None
        self._count = 0

    @property
    def streams(self) -> int:
        return self._count

    @asynccontextmanager
    async def watch(self, notebook_id: str, mailbox: Mailbox) -> AsyncIterator[None]:
        """Deliver the notebook's records to `mailbox`; entered once the broker is listening,
        so a record committed after that reaches the mailbox (subscribe first, then replay)."""
        channel = self._join(notebook_id, mailbox)
        beat = self._beats[next(self._turns)]
        beat.add(mailbox)
        try:
            await channel.opened()
            yield
        finally:
            beat.discard(mailbox)
            self._count -= 1
            channel.mailboxes.discard(mailbox)
            if not channel.mailboxes:
                if self._channels.get(notebook_id) is channel:
                    del self._channels[notebook_id]
                await channel.close()

    def _join(self, notebook_id: str, mailbox: Mailbox) -> _Channel:
        channel = self._channels.get(notebook_id)
        if channel is None:
            channel = _Channel(self._broker, notebook_id, self._arrived)
            self._channels[notebook_id] = channel
        channel.mailboxes.add(mailbox)
        self._count += 1
        if self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._tick())
        return channel

    async def _tick(self) -> None:
        """Every TICK, one slice of the streams gets its heartbeat: each stream once per
        heartbeat period, never all at once. Also ends every stream when uvicorn is exiting
        (it waits for open responses, and a live stream never finishes by itself)."""
        for turn in itertools.cycle(range(len(self._beats))):
            await asyncio.sleep(TICK_SECONDS)
            if not self._count:
                return
            if _server_exiting():
                for channel in tuple(self._channels.values()):
                    channel.deliver(None)
            for mailbox in tuple(self._beats[turn]):
                mailbox.need_ping()


def _server_exiting() -> bool:
    """uvicorn's Server handles SIGTERM/SIGINT with a bound method and sets `should_exit`."""
    server = getattr(signal.getsignal(signal.SIGTERM), "__self__", None)
    return bool(getattr(server, "should_exit", False))
