"""The pen beyond passing it: asking for it, the chapter's mode, and draft frames."""

from datetime import datetime

from fastapi import APIRouter, Response

from unspoken.api.credentials import require_signature
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep, apply
from unspoken.api.relay import RELAYED, relay
from unspoken.api.schemas import NotebookOut
from unspoken.api.schemas.rules import DraftBody, ModeBody
from unspoken.protocol.chain import draft_aad
from unspoken.rules import (
    NotebookState,
    Refusal,
    RuleViolation,
    ask_for_pen,
    require_write,
    set_mode,
)

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["pen"])


@router.post("/pen/ask")
async def ask(nb: str, me: MemberDep, acting: ActingDep, services: ServicesDep) -> NotebookOut:
    """A gentle knock; at most once in ten minutes (429 with Retry-After)."""
    now, actor = services.now(), me.member.id
    return await apply(services, nb, me, acting.rule(lambda s: ask_for_pen(s, actor, now)))


@router.post("/mode")
async def mode(
    nb: str, body: ModeBody, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    now, actor = services.now(), me.member.id
    rule = acting.rule(lambda state: set_mode(state, actor, body.mode, now))
    return await apply(services, nb, me, rule)


@router.post("/drafts", status_code=202, response_class=Response, responses=RELAYED)
async def draft(nb: str, body: DraftBody, me: MemberDep, services: ServicesDep) -> Response:
    """Relay one encrypted draft frame to the partner's live stream; never stored."""
    additional = draft_aad(nb, body.chapter, body.draft, body.n, me.device_id)
    require_signature(me.public_key, additional, body.ct, body.sig)

    def writable(state: NotebookState, now: datetime) -> None:
        require_write(state, me.member.id, now)
        if body.chapter != state.chapter:
            raise RuleViolation(
                Refusal.WRONG_CHAPTER_FOR_DRAFT, {"chapter": state.chapter}, chapter=state.chapter
            )

    fields = {"chapter": body.chapter, "draft": body.draft, "n": body.n}
    return await relay(services, nb, me, "draft", fields, (body.ct, body.sig), writable)
