"""Leaving a notebook."""

from fastapi import APIRouter

from unspoken.api.deps import ActingDep, MemberDep, ServicesDep
from unspoken.api.schemas.rules import Goodbye
from unspoken.api.views import maybe_iso
from unspoken.rules.membership import erase_at, leave
from unspoken.server import writes

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["goodbye"])


@router.post("/leave")
async def leave_notebook(
    nb: str, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> Goodbye:
    """Leave for good: this device's token opens nothing more; the partner keeps read access
    until the notebook is erased (now, if they have left too; else 30 days from now)."""
    now, actor = services.now(), me.member.id
    view = await services.commit(writes.apply(nb, acting.rule(lambda s: leave(s, actor, now))))
    if view is None:
        return Goodbye(erased=True, erase_at=None)
    return Goodbye(erased=False, erase_at=maybe_iso(erase_at(view.state)))
