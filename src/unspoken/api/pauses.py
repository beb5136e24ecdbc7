"""Time and space: "I need time", "I'll be here", "I'm ready to talk"."""

from fastapi import APIRouter

from unspoken.api.credentials import maybe_item
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep, apply
from unspoken.api.schemas import NotebookOut
from unspoken.api.schemas.rules import NoteBody, PauseBody
from unspoken.rules import pauses

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["pauses"])


@router.post("/pause", status_code=201)
async def pause(
    nb: str, body: PauseBody, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    """Start a pause, or renew your own; the partner is told either way."""
    note, now, actor = maybe_item(nb, me, "pause-note", body.note), services.now(), me.member.id
    rule = acting.rule(
        lambda state: pauses.pause(state, actor, body.minutes, note, now, body.asked)
    )
    return await apply(services, nb, me, rule)


@router.post("/pause/here")
async def be_here(
    nb: str, me: MemberDep, acting: ActingDep, services: ServicesDep, body: NoteBody | None = None
) -> NotebookOut:
    note = maybe_item(nb, me, "here-note", body.note if body else None)
    now, actor = services.now(), me.member.id
    rule = acting.rule(lambda state: pauses.be_here(state, actor, note, now))
    return await apply(services, nb, me, rule)


@router.post("/pause/ready")
async def ready(nb: str, me: MemberDep, acting: ActingDep, services: ServicesDep) -> NotebookOut:
    now, actor = services.now(), me.member.id
    return await apply(services, nb, me, acting.rule(lambda s: pauses.ready(s, actor, now)))
