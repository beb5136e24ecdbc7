"""The background sweeper: ends pauses whose time ran out, erases notebooks that are due, and
sends the notices quiet hours held back once they end.

Every step is its own idempotent write (the rules decide again inside the transaction), so
several app processes may sweep the same database at once: the second one finds nothing to do.
"""

import asyncio
import logging
from functools import partial

from unspoken.api.deps import Services
from unspoken.store import rule_ops, rule_reads
from unspoken.store.base import Transactor
from unspoken.store.rows import to_ms

log = logging.getLogger(__name__)


async def sweep_once(services: Services) -> None:
    store = services.store
    if not isinstance(store, Transactor):
        return
    now = services.now()
    for nb in await store.read(partial(rule_reads.paused_until_before, now_ms=to_ms(now))):
        committed = await store.write(partial(rule_ops.expire_pause, notebook_id=nb, now=now))
        await services.publish(nb, committed.records)
    for nb in await store.read(rule_reads.with_goodbyes):
        await store.write(partial(rule_ops.erase_if_due, notebook_id=nb, now=now))
    if services.push is not None:
        await services.push.release_held(now)


async def run(services: Services, every_seconds: float) -> None:
    """Sweep until cancelled; a failed sweep is logged (by type only) and tried again later."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await sweep_once(services)
        except Exception as exc:  # noqa: BLE001 — keep sweeping; the next round retries
            log.error("sweep failed: %s", type(exc).__name__)
