"""HTTP handlers only: parse, call the rules and the store, respond."""

from fastapi import APIRouter

from unspoken.api import entries, events, health, invites, notebooks

router = APIRouter()
for module in (health, notebooks, invites, entries, events):
    router.include_router(module.router)

__all__ = ["router"]
