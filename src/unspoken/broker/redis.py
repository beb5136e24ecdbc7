"""Redis pub/sub between app processes: one channel per notebook, one connection per process.

Every process keeps a single subscriber connection and SUBSCRIBEs to a notebook's channel
while at least one of its live streams watches that notebook (so 10,000 streams cost one
socket and a set of channel names, not 10,000 sockets). Messages are the record's wire JSON.
Pub/sub is at-most-once: when the subscriber connection is lost and comes back, every local
stream gets RESYNC and reads what it missed from the store. See docs/scaling.md.
"""

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from unspoken.broker import resp
from unspoken.broker.base import RESYNC, Broker, WireRecord
from unspoken.broker.memory import MemoryBroker

PREFIX = b"unspoken:v1:nb:"
CONFIRM_SECONDS = 2.0  # how long a new stream waits for Redis to confirm its subscription
KEEPALIVE_SECONDS = 5.0
RETRY_SECONDS = 0.1  # the first reconnect; then doubling up to MAX_RETRY_SECONDS
MAX_RETRY_SECONDS = 2.0
MAX_PENDING = 100_000
log = logging.getLogger(__name__)


def channel(notebook_id: str) -> bytes:
    return PREFIX + notebook_id.encode()


class RedisBroker(Broker):
    def __init__(self, url: str) -> None:
        self._address = resp.parse_url(url)
        self._local = MemoryBroker()  # per-stream queues, fed from the one connection
        self._watchers: dict[str, int] = {}  # local streams per notebook
        self._confirms: dict[bytes, deque[asyncio.Future[None]]] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._listener: asyncio.Task[None] | None = None
        self._publisher = Redis.from_url(  # one try: a failure is queued, not waited out
            url, socket_timeout=2.0, socket_connect_timeout=2.0, retry=Retry(NoBackoff(), 0)
        )
        self._heard = 0.0  # loop time of the last reply on the subscriber connection
        self._connected = asyncio.Event()
        self._pending: deque[tuple[bytes, bytes]] = deque(maxlen=MAX_PENDING)
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False

    # --- publishing ---------------------------------------------------------------------

    async def publish(self, notebook_id: str, record: WireRecord) -> None:
        """Never fails the caller: the record is committed already. What Redis refuses is
        kept and retried in order; streams dedupe by seq, so a repeat is harmless."""
        message = (channel(notebook_id), json.dumps(record, separators=(",", ":")).encode())
        if not self._pending:
            try:
                await self._publisher.publish(*message)
                return
            except (RedisError, OSError) as exc:
                log.warning("publish to Redis failed, will retry: %s", type(exc).__name__)
        self._pending.append(message)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        while self._pending and not self._closed:
            try:
                await self._publisher.publish(*self._pending[0])
            except (RedisError, OSError):
                await asyncio.sleep(MAX_RETRY_SECONDS / 4)
                continue
            self._pending.popleft()

    # --- subscribing --------------------------------------------------------------------

    @asynccontextmanager
    async def subscribe(self, notebook_id: str) -> AsyncIterator[AsyncIterator[WireRecord]]:
        async with self._local.subscribe(notebook_id) as live:
            await self._watch(notebook_id)
            try:
                yield live
            finally:
                self._unwatch(notebook_id)

    async def _watch(self, notebook_id: str) -> None:
        """Count one more local stream; the first one subscribes and waits for Redis to say so."""
        if self._closed:
            return
        self._ensure_listener()
        if self._writer is None:  # starting up: a short wait spares everyone a RESYNC
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connected.wait(), CONFIRM_SECONDS)
        self._watchers[notebook_id] = self._watchers.get(notebook_id, 0) + 1
        if self._watchers[notebook_id] > 1 or self._writer is None:
            return  # already subscribed, or Redis is away: the reconnect subscribes and RESYNCs
        name = channel(notebook_id)
        confirmed = asyncio.get_running_loop().create_future()
        self._confirms.setdefault(name, deque()).append(confirmed)
        self._send(resp.command(b"SUBSCRIBE", name))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(confirmed), CONFIRM_SECONDS)

    def _unwatch(self, notebook_id: str) -> None:
        left = self._watchers.get(notebook_id, 0) - 1
        if left > 0:
            self._watchers[notebook_id] = left
            return
        self._watchers.pop(notebook_id, None)
        self._send(resp.command(b"UNSUBSCRIBE", channel(notebook_id)))

    def _send(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    # --- the subscriber connection ------------------------------------------------------

    def _ensure_listener(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen_forever())

    async def _listen_forever(self) -> None:
        delay = RETRY_SECONDS
        while not self._closed:
            try:
                reader, self._writer = await resp.connect(self._address)
                if delay > RETRY_SECONDS:
                    log.warning("Redis subscriber connection is back")
                delay = RETRY_SECONDS
                await self._listen(reader, self._writer)
            except (OSError, EOFError, asyncio.IncompleteReadError, resp.RedisReplyError) as exc:
                if delay == RETRY_SECONDS:
                    log.warning("Redis subscriber connection lost: %s", type(exc).__name__)
            finally:
                self._lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def _listen(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        names = [channel(nb) for nb in self._watchers]
        if names:  # streams that began while we were (re)connecting RESYNC too
            writer.write(resp.command(b"SUBSCRIBE", *names))
        resync = bool(names)
        self._connected.set()
        keepalive = asyncio.create_task(self._keepalive(writer, reader))
        loop = asyncio.get_running_loop()
        try:
            while True:
                reply = await resp.read_reply(reader)
                self._heard = loop.time()
                if isinstance(reply, list) and len(reply) == 3:
                    resync = self._dispatch(reply, resync)
        finally:
            keepalive.cancel()

    def _dispatch(self, reply: list[resp.Reply], resync: bool) -> bool:
        kind, name, body = reply
        if kind == b"message" and isinstance(name, bytes) and isinstance(body, bytes):
            record = json.loads(body)
            self._deliver(name[len(PREFIX) :].decode(), record)
        elif kind == b"subscribe" and isinstance(name, bytes):
            waiting = self._confirms.get(name)
            if waiting:
                future = waiting.popleft()
                if not future.done():
                    future.set_result(None)
                if not waiting:
                    del self._confirms[name]
            if resync:  # one SUBSCRIBE named every channel: Redis has run all of it
                for notebook_id in list(self._watchers):
                    self._deliver(notebook_id, RESYNC)
                return False
        return resync

    def _deliver(self, notebook_id: str, record: WireRecord) -> None:
        self._local.deliver(notebook_id, record)

    async def _keepalive(self, writer: asyncio.StreamWriter, reader: asyncio.StreamReader) -> None:
        """PING now and then; a connection that stops answering is closed and started over."""
        loop = asyncio.get_running_loop()
        self._heard = loop.time()
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            if loop.time() - self._heard > 3 * KEEPALIVE_SECONDS:
                log.warning("Redis stopped answering; reconnecting")
                writer.close()
                reader.feed_eof()
                return
            writer.write(resp.command(b"PING"))

    def _lost(self) -> None:
        self._connected.clear()
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
        for waiting in self._confirms.values():  # the reconnect subscribes them and RESYNCs
            for future in waiting:
                if not future.done():
                    future.set_result(None)
        self._confirms.clear()

    async def close(self) -> None:
        self._closed = True
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._flusher is not None:
            self._flusher.cancel()
        self._lost()
        await self._local.close()
        await self._publisher.aclose()
