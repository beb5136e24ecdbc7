"""Redis pub/sub between app processes: one channel per notebook, one connection per process.

Every process keeps a single subscriber connection (redis-py's asyncio PubSub) and SUBSCRIBEs
to a notebook's channel while at least one of its live streams watches that notebook (so
10,000 streams cost one socket and a set of channel names, not 10,000 sockets). Messages are
the record's wire JSON. Pub/sub is at-most-once: when the subscriber connection is lost and
comes back, every local stream gets RESYNC and reads what it missed from the store.

One task owns the subscriber connection: it alone reads, sends SUBSCRIBE / UNSUBSCRIBE / PING
and reconnects (the connection's retries are off), so no two coroutines ever reconnect it at
once. Streams only ask for a channel and wait for Redis to confirm it. See docs/scaling.md.
"""

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from unspoken.broker.base import RESYNC, Broker, Deliver, WireRecord
from unspoken.broker.memory import MemoryBroker

PREFIX = b"unspoken:v1:nb:"
CONFIRM_SECONDS = 2.0  # how long a new stream waits for Redis to confirm its subscription
KEEPALIVE_SECONDS = 5.0  # PING after this long without a word; reconnect after three times it
RETRY_SECONDS = 0.1  # the first reconnect; then doubling up to MAX_RETRY_SECONDS
MAX_RETRY_SECONDS = 2.0
MAX_PENDING = 100_000
log = logging.getLogger(__name__)


def channel(notebook_id: str) -> bytes:
    return PREFIX + notebook_id.encode()


class RedisBroker(Broker):
    def __init__(self, url: str) -> None:
        self._local = MemoryBroker()  # the listeners of this process, fed from one connection
        self._watchers: dict[str, int] = {}  # local listeners per notebook
        self._changed: set[str] = set()  # notebooks whose subscription the owner must update
        self._subscribed: set[bytes] = set()  # channels Redis was asked for on this connection
        self._inflight: dict[bytes, int] = {}  # SUBSCRIBEs sent and not yet confirmed
        self._confirms: dict[bytes, list[asyncio.Future[None]]] = {}
        self._resync: set[bytes] = set()  # RESYNC these notebooks once Redis confirms them
        self._ready = asyncio.Event()  # the subscriber connection is up and subscribed
        self._wake: asyncio.Future[None] | None = None
        self._read: asyncio.Future[Any] | None = None  # the pending read of the next message
        self._heard = self._pinged = 0.0  # loop times: the last word from Redis, our last PING
        self._owner: asyncio.Task[None] | None = None
        # The subscriber retries nothing itself: its owner task reconnects and resubscribes.
        # No socket_timeout: redis-py would wrap each send in asyncio.wait_for, which on
        # Python 3.11 can swallow the owner's cancellation; the owner bounds its own waits.
        no_retry = Retry(NoBackoff(), 0, supported_errors=())
        self._subscriber = Redis.from_url(
            url, socket_timeout=None, socket_connect_timeout=2.0, retry=no_retry
        )
        self._pubsub = self._subscriber.pubsub()
        self._publisher = Redis.from_url(  # one try: a failure is queued, not waited out
            url, socket_timeout=2.0, socket_connect_timeout=2.0, retry=Retry(NoBackoff(), 0)
        )
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

    # --- listening ----------------------------------------------------------------------

    @asynccontextmanager
    async def listen(self, notebook_id: str, deliver: Deliver) -> AsyncIterator[None]:
        async with self._local.listen(notebook_id, deliver):
            await self._started()
            self._watchers[notebook_id] = self._watchers.get(notebook_id, 0) + 1
            try:
                await self._confirmed(notebook_id)
                yield
            finally:
                self._unwatch(notebook_id)

    async def _started(self) -> None:
        """Start the owner task if need be; while Redis is not there yet, wait a little: a
        listener counted before the connection is made must RESYNC once it is."""
        if self._closed:
            return
        if self._owner is None or self._owner.done():
            self._owner = asyncio.create_task(self._own())
        if not self._ready.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CONFIRM_SECONDS):
                    await self._ready.wait()

    async def _confirmed(self, notebook_id: str) -> None:
        """Wait until Redis confirms the notebook's channel (asking for it if need be)."""
        name = channel(notebook_id)
        if self._closed or not self._ready.is_set():
            return  # Redis is away: the reconnect subscribes everything and RESYNCs it
        if name in self._subscribed and name not in self._inflight:
            return  # already confirmed
        confirmed = asyncio.get_running_loop().create_future()
        self._confirms.setdefault(name, []).append(confirmed)
        self._ask(notebook_id)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CONFIRM_SECONDS):
                await asyncio.shield(confirmed)

    def _unwatch(self, notebook_id: str) -> None:
        left = self._watchers.get(notebook_id, 0) - 1
        if left > 0:
            self._watchers[notebook_id] = left
            return
        self._watchers.pop(notebook_id, None)
        self._ask(notebook_id)

    def _ask(self, notebook_id: str) -> None:
        """Have the owner task bring this notebook's subscription up to date."""
        self._changed.add(notebook_id)
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    # --- the subscriber connection, owned by one task -----------------------------------

    async def _own(self) -> None:
        delay = RETRY_SECONDS
        while not self._closed:
            try:
                await _typed(self._pubsub.connect)()
                if delay > RETRY_SECONDS:
                    log.warning("Redis subscriber connection is back")
                delay = RETRY_SECONDS
                await self._session()
            except Exception as exc:  # whatever it was, start the connection over
                if delay == RETRY_SECONDS:
                    log.warning("Redis subscriber connection lost: %s", type(exc).__name__)
            finally:
                await self._lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def _session(self) -> None:
        """Subscribe everything watched (they RESYNC once confirmed), then read and serve."""
        names = [channel(nb) for nb in self._watchers]
        self._changed.clear()
        if names:
            async with asyncio.timeout(KEEPALIVE_SECONDS):
                await self._subscribe(names)
            self._resync.update(names)  # streams that began before or while we were away
        self._heard = self._pinged = asyncio.get_running_loop().time()
        self._ready.set()
        try:
            while True:
                await self._serve()
        finally:
            if self._read is not None:  # cut short: the connection is dropped right after
                self._read.add_done_callback(_forget)
                self._read.cancel()
                self._read = None

    async def _serve(self) -> None:
        """Send what streams asked for, then wait for a message or the next request. A read
        still pending carries over to the next round: a read cut short would lose its place."""
        while self._changed:
            async with asyncio.timeout(KEEPALIVE_SECONDS):
                await self._sync()
        loop = asyncio.get_running_loop()
        if self._read is None:
            self._read = asyncio.ensure_future(self._pubsub.get_message(timeout=KEEPALIVE_SECONDS))
        self._wake = loop.create_future()
        await asyncio.wait((self._read, self._wake), return_when=asyncio.FIRST_COMPLETED)
        if self._read.done():
            message, self._read = self._read.result(), None
            if message is not None:
                self._heard = loop.time()
                self._dispatch(message)
        silent = loop.time() - self._heard
        if silent > 3 * KEEPALIVE_SECONDS:
            raise ConnectionError("Redis stopped answering")
        if silent >= KEEPALIVE_SECONDS and loop.time() - self._pinged >= KEEPALIVE_SECONDS:
            self._pinged = loop.time()
            async with asyncio.timeout(KEEPALIVE_SECONDS):
                await self._pubsub.ping()

    async def _sync(self) -> None:
        """One SUBSCRIBE for the notebooks newly watched, one UNSUBSCRIBE for those left."""
        changed, self._changed = self._changed, set()
        wanted, unwanted = [], []
        for notebook_id in changed:
            name = channel(notebook_id)
            if notebook_id in self._watchers and name not in self._subscribed:
                wanted.append(name)
            elif notebook_id not in self._watchers and name in self._subscribed:
                unwanted.append(name)
        if wanted:
            await self._subscribe(wanted)
        if unwanted:
            self._subscribed.difference_update(unwanted)
            await self._pubsub.unsubscribe(*unwanted)

    async def _subscribe(self, names: list[bytes]) -> None:
        self._subscribed.update(names)
        for name in names:
            self._inflight[name] = self._inflight.get(name, 0) + 1
        await self._pubsub.subscribe(*names)

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind, name = message["type"], message["channel"]
        if kind == "message" and isinstance(name, bytes):
            record = json.loads(message["data"])
            self._local.deliver(name[len(PREFIX) :].decode(), record)
        elif kind == "subscribe" and isinstance(name, bytes):
            left = self._inflight.pop(name, 1) - 1
            if left > 0:  # an earlier SUBSCRIBE's answer; Redis has not reached ours yet
                self._inflight[name] = left
                return
            for future in self._confirms.pop(name, ()):
                if not future.done():
                    future.set_result(None)
            if name in self._resync:  # Redis delivers from now on: read the store up to here
                self._resync.discard(name)
                self._local.deliver(name[len(PREFIX) :].decode(), RESYNC)

    async def _lost(self) -> None:
        self._ready.clear()
        self._subscribed.clear()
        self._inflight.clear()
        self._resync.clear()
        for waiting in self._confirms.values():  # the reconnect subscribes them and RESYNCs
            for future in waiting:
                if not future.done():
                    future.set_result(None)
        self._confirms.clear()
        with contextlib.suppress(RedisError, OSError):
            # drops the connection and the library's bookkeeping
            await _typed(self._pubsub.aclose)()

    async def close(self) -> None:
        self._closed = True
        if self._owner is not None:
            self._owner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._owner
        if self._flusher is not None:
            self._flusher.cancel()
        await self._lost()
        await self._local.close()
        await self._publisher.aclose()
        await self._subscriber.aclose()


def _forget(read: "asyncio.Future[Any]") -> None:
    """A read cut short by a closing connection may end in an error nobody waits for."""
    if not read.cancelled():
        read.exception()


def _typed(method: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """A PubSub method under a stated type: redis-py annotates some of them only in newer
    releases (aclose from 8.2), so calling through this holds for mypy with either."""
    return method
