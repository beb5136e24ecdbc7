"""Sending notices after commit, off the request path: bounded retries, quiet hours held back.

`notify` is called with a commit's records (server/services.py `Services.publish`) and returns
at once; a task reads who wants which notice and sends each. Nothing here is durable except
what quiet hours hold back (in the database, released by the sweeper): a notice lost to a
restart is a nudge lost, never a word.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from functools import partial
from typing import Any

import httpx

from unspoken.protocol import records
from unspoken.push import subscriptions, webpush
from unspoken.push.notices import KINDS, Notice, NoticeKind, notices_for
from unspoken.push.subscriptions import Subscription
from unspoken.push.vapid import Signer, load_or_create
from unspoken.rules import Record
from unspoken.settings import Settings
from unspoken.store.base import Store
from unspoken.store.work import Work

RETRY_DELAYS = (1.0, 5.0)  # seconds before the second and third (last) attempt
MAX_RETRY_AFTER = 60.0
MAX_TASKS = 1000  # beyond this many notices in flight, new ones are dropped (and logged)
SENDS_AT_ONCE = 16
GONE = frozenset({404, 410})
# Who may hear a notebook's notices changes seldom (a subscription, a preference, a member or
# a device), and every commit with a notice asked the database again: at 1,000 couples that
# read was a quarter of the server's CPU per line (docs/performance.md). The answer, "nobody"
# included, is remembered per notebook for as long as the store trusts a cached token
# (`store.tokens.ttl`: 60 s on SQLite, where this process makes every change; 5 s on
# PostgreSQL, where another process may). A change made here forgets it at once: a commit with
# one of these records, or a subscription or preference set through the API (`forget`).
REMEMBERED_NOTEBOOKS = 100_000  # at most this many answers are kept (least recent go first)
_CHANGES_WHO = frozenset(
    {
        records.MEMBER_JOINED,
        records.MEMBER_APPROVED,
        records.MEMBER_DECLINED,
        records.MEMBER_LEFT,
        records.DEVICE_ADDED,
        records.DEVICE_REVOKED,
    }
)
log = logging.getLogger(__name__)


class Pusher:
    def __init__(
        self,
        store: Store,
        signer: Signer,
        clock: Callable[[], datetime],
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.store, self.signer, self.clock = store, signer, clock
        self._remember_seconds = store.tokens.ttl  # see REMEMBERED_NOTEBOOKS
        self.retry_delays = retry_delays
        self.sent = 0  # notices a push service accepted: what a test or a log wants to know
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(10.0), follow_redirects=False)
        self._tasks: set[asyncio.Task[None]] = set()
        self._sends = asyncio.Semaphore(SENDS_AT_ONCE)
        # notebook id -> (believed until, its subscribed devices); see REMEMBERED_NOTEBOOKS
        self._known: OrderedDict[str, tuple[float, tuple[Subscription, ...]]] = OrderedDict()
        self._forgotten = 0  # forget() calls so far: a read begun before one must not cache

    def forget(self, notebook_id: str) -> None:
        """Who may hear `notebook_id` changed: ask the database next time."""
        self._known.pop(notebook_id, None)
        self._forgotten += 1

    def _remembered(self, notebook_id: str) -> tuple[Subscription, ...] | None:
        found = self._known.get(notebook_id)
        if found is None:
            return None
        until, subscribed = found
        if time.monotonic() < until:
            return subscribed
        del self._known[notebook_id]
        return None

    def _remember(self, notebook_id: str, subscribed: tuple[Subscription, ...]) -> None:
        self._known[notebook_id] = (time.monotonic() + self._remember_seconds, subscribed)
        self._known.move_to_end(notebook_id)
        while len(self._known) > REMEMBERED_NOTEBOOKS:
            self._known.popitem(last=False)

    async def _reachable(self, notebook_id: str) -> tuple[Subscription, ...]:
        subscribed = self._remembered(notebook_id)
        if subscribed is None:
            forgotten = self._forgotten
            read = partial(subscriptions.reachable, notebook_id=notebook_id)
            subscribed = tuple(await self.store.read(read))
            if forgotten == self._forgotten:  # nothing changed while it read
                self._remember(notebook_id, subscribed)
        return subscribed

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._http.aclose()

    async def idle(self) -> None:
        """Wait until every notice started so far is sent, held, or given up."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def notify(self, notebook_id: str, committed: Iterable[Record]) -> None:
        """After a commit: start telling the devices that want to know. Returns at once."""
        committed = tuple(committed)
        if any(record.kind in _CHANGES_WHO for record in committed):
            self.forget(notebook_id)
        notices = notices_for(committed)
        if notices and self._remembered(notebook_id) != ():
            self._spawn(self._deliver(notebook_id, notices))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        if len(self._tasks) >= MAX_TASKS:
            work.close()
            log.warning("push: too many notices in flight; one was dropped")
            return
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("push failed: %s", type(task.exception()).__name__)

    async def _deliver(self, notebook_id: str, notices: list[Notice]) -> None:
        now = self.clock()
        for sub in await self._reachable(notebook_id):
            kinds = _wanted(sub, notices)
            if not kinds:
                continue
            quiet = sub.preferences.quiet
            if quiet is not None and quiet.covers(now):
                hold = partial(
                    subscriptions.hold,
                    notebook_id=notebook_id,
                    device_id=sub.device_id,
                    kinds=kinds,
                )
                await self.store.write(Work(notebook_id, hold))
                self.forget(notebook_id)  # what it holds is read afresh
                continue
            for kind in kinds:
                self._spawn(self._send(sub, kind))

    async def release_held(self, now: datetime) -> None:
        """The sweeper's step: send what quiet hours held back, once they have ended."""
        for sub in await self.store.read(subscriptions.holding):
            quiet = sub.preferences.quiet
            if quiet is not None and quiet.covers(now):
                continue
            take = partial(
                subscriptions.take_held,
                notebook_id=sub.notebook_id,
                device_id=sub.device_id,
                held=",".join(sub.held),
            )
            taken = await self.store.write(Work(sub.notebook_id, take))
            for kind in sub.held if taken.value else ():
                self._spawn(self._send(sub, kind))

    async def _send(self, sub: Subscription, kind: NoticeKind) -> None:
        """Up to 1 + len(retry_delays) attempts; a gone endpoint is forgotten at once."""
        endpoint = sub.endpoint
        assert endpoint is not None  # noqa: S101 — only subscribed devices are read
        for attempt in range(len(self.retry_delays) + 1):
            wait = self.retry_delays[attempt] if attempt < len(self.retry_delays) else None
            try:
                async with self._sends:
                    response = await webpush.send(
                        self._http, self.signer, endpoint, kind, sub.notebook_id
                    )
            except httpx.TransportError as exc:
                log.warning("push not delivered: %s", type(exc).__name__)
            else:
                status = response.status_code
                if status < 300:
                    self.sent += 1
                    return
                if status in GONE:
                    await self._forget(sub, endpoint.url)
                    return
                log.warning("push service answered %s", status)
                if status != 429 and status < 500:
                    return  # our request is wrong for it (400, 403, 413): retrying won't help
                wait = wait and max(wait, min(_retry_after(response), MAX_RETRY_AFTER))
            if wait is None:
                return
            await asyncio.sleep(wait)

    async def _forget(self, sub: Subscription, url: str) -> None:
        forget = partial(
            subscriptions.forget, notebook_id=sub.notebook_id, device_id=sub.device_id, url=url
        )
        await self.store.write(Work(sub.notebook_id, forget))
        self.forget(sub.notebook_id)


def _wanted(sub: Subscription, notices: list[Notice]) -> list[NoticeKind]:
    chosen = {
        n.kind for n in notices if n.reaches(sub.member_id) and n.kind in sub.preferences.notices
    }
    return [kind for kind in KINDS if kind in chosen]


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else 0.0


def pusher_for(settings: Settings, store: Store) -> Pusher:
    """The server's pusher, its VAPID key made on first start."""
    signer = Signer(load_or_create(settings.vapid_path), settings.push_contact)
    return Pusher(store, signer, settings.clock)
