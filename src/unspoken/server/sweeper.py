"""The background sweeper: ends pauses whose time ran out, erases notebooks that are due, and
sends the notices quiet hours held back once they end.

Every step is its own idempotent write (the rules decide again inside the transaction), so
several app processes may sweep the same database at once: the second one finds nothing to do.
"""

import asyncio
import logging

from unspoken.server import reads, writes
from unspoken.server.services import Services
from unspoken.store.rows import to_ms

log = logging.getLogger(__name__)


async def sweep_once(services: Services) -> None:
    store, now = services.store, services.now()
    for nb in await reads.paused_until_before(store, to_ms(now)):
        await services.commit(writes.expire_pause(nb, now))
    for nb in await reads.with_goodbyes(store):
        await services.commit(writes.erase_if_due(nb, now))
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
