"""Crossing out a line: its writer strikes it through; it stays in the notebook for both."""

from fastapi import APIRouter

from unspoken.api.deps import ActingDep, MemberDep, ServicesDep, not_found
from unspoken.api.schemas import NotebookOut
from unspoken.api.views import notebook_out
from unspoken.rules.crossings import cross_out
from unspoken.server import writes
from unspoken.server.writes import CrossRule

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["entries"])


@router.post("/entries/{entry}/cross")
async def cross(
    nb: str, entry: str, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    """Cross out a line of your own (act `entry.crossed`): 404 for no such line, 403 for your
    partner's, 409 once it is crossed out already."""
    now, actor = services.now(), me.member.id
    rule: CrossRule = lambda s, written: acting.outcome(s, cross_out(s, written, actor, now))  # noqa: E731
    view = await services.commit(writes.cross_out(nb, entry, rule))
    if view is None:
        raise not_found()
    return notebook_out(view, me.member.id)
