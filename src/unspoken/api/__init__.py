"""HTTP handlers only: parse, call the rules and the store, respond."""

from fastapi import APIRouter

from unspoken.api import (
    agreements,
    chapters,
    devices,
    entries,
    events,
    goodbye,
    health,
    invites,
    links,
    notebooks,
    pauses,
    pen,
    promises,
    push,
)

router = APIRouter()
for module in (
    health, notebooks, invites, entries, events,
    pen, pauses, promises, agreements, chapters, goodbye, push, devices, links,
):
    router.include_router(module.router)

__all__ = ["router"]
