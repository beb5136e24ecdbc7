"""HTTP only: routes, schemas, the problem mapping and middleware. A handler parses, checks
signatures, calls the application layer (server/) and responds; it never reaches the store."""

from fastapi import APIRouter

from unspoken.api import (
    agreements,
    chapters,
    crossings,
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
    presence,
    promises,
    push,
)

router = APIRouter()
for module in (
    health,
    notebooks,
    invites,
    entries,
    crossings,
    events,
    pen,
    pauses,
    promises,
    agreements,
    chapters,
    goodbye,
    push,
    devices,
    links,
    presence,
):
    # The routes themselves, not their routers: FastAPI walks every included router again on
    # each request (~0.3 ms of CPU per request here), and these add nothing their routes do
    # not already carry (the prefix is in each path, the tags in each route).
    router.routes.extend(module.router.routes)

__all__ = ["router"]
