"""What handlers and the sweeper read, each from one snapshot; and the values they read."""

from functools import partial

from unspoken.push import subscriptions
from unspoken.push.subscriptions import Subscription
from unspoken.rules import Agreement, Invite, NotebookState, Promise, Record
from unspoken.store import commitments, devices, due, links, reads
from unspoken.store.base import (
    ChapterView,
    DeviceAuth,
    DeviceView,
    LinkView,
    MemberView,
    NotebookView,
    RecordPage,
    Store,
)
from unspoken.store.rows import AnyRow

# The store's values a handler builds or reads, offered here so that it need not import them
# from the store (the functions below are this module's own).
__all__ = [
    "ChapterView",
    "DeviceAuth",
    "DeviceView",
    "LinkView",
    "MemberView",
    "NotebookView",
    "RecordPage",
]


async def device_for_token(store: Store, token_hash: bytes) -> DeviceAuth | None:
    """Every request's first step: from the store's cache when it can (store/tokens.py)."""
    cache = store.tokens
    found = cache.get(token_hash)
    if found is None:
        stamp = cache.stamp
        found = await store.read(partial(reads.device_for_token, token_hash=token_hash))
        cache.put(token_hash, found, stamp)
    return found


async def invite(store: Store, invite_id: str) -> tuple[Invite, bytes | None] | None:
    """An invite and its sealed greeting, from one snapshot; None when there is no such invite."""
    return await store.read(partial(reads.invite_and_greeting, invite_id=invite_id))


async def notebook(store: Store, nb: str) -> NotebookView | None:
    return await store.read(partial(reads.view, notebook_id=nb))


async def state(store: Store, nb: str) -> NotebookState | None:
    return await store.read(partial(reads.state, notebook_id=nb))


async def records(store: Store, nb: str, after: int, limit: int) -> list[Record]:
    return await store.read(partial(reads.records_after, notebook_id=nb, after=after, limit=limit))


async def page(store: Store, nb: str, after: int, limit: int) -> RecordPage:
    """Records after `after` and the head, from one snapshot."""
    return await store.read(partial(reads.page, notebook_id=nb, after=after, limit=limit))


async def link(store: Store, link_id: str) -> LinkView | None:
    return await store.read(partial(links.view, link_id=link_id))


async def keys_for(store: Store, nb: str, device: str) -> list[AnyRow]:
    """Every epoch key wrapped for one device, oldest epoch first."""
    return await store.read(partial(devices.keys_for, notebook_id=nb, device_id=device))


async def promises(store: Store, nb: str) -> list[tuple[Promise, list[Record]]]:
    """Every promise with its history from the log."""
    return await store.read(partial(commitments.promises_with_history, notebook_id=nb))


async def agreements(store: Store, nb: str) -> list[tuple[Agreement, list[Record]]]:
    """Every agreement with its history from the log."""
    return await store.read(partial(commitments.agreements_with_history, notebook_id=nb))


async def agreement(store: Store, nb: str, agreement_id: str) -> Agreement | None:
    return await store.read(
        partial(commitments.agreement, notebook_id=nb, agreement_id=agreement_id)
    )


async def subscription(store: Store, nb: str, device: str) -> Subscription | None:
    return await store.read(partial(subscriptions.of_device, notebook_id=nb, device_id=device))


async def paused_until_before(store: Store, now_ms: int) -> list[str]:
    return await store.read(partial(due.paused_until_before, now_ms=now_ms))


async def with_goodbyes(store: Store) -> list[str]:
    return await store.read(due.with_goodbyes)
