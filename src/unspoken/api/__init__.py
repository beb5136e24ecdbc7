"""HTTP handlers only: parse, call the rules and the store, respond."""

from fastapi import APIRouter

from unspoken.api import (
    agreements,
    chapters,
    entries,
    events,
    goodbye,
    health,
    invites,
    notebooks,
    pauses,
    pen,
    promises,
    push,
)

router = APIRouter()
for module in (
    health, notebooks, invites, entries, events,
    pen, pauses, promises, agreements, chapters, goodbye, push,
):
    router.include_router(module.router)

__all__ = ["router"]
