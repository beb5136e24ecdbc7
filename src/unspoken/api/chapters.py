"""Chapters: close the open one, start the next (blank or from a template), mirror answers."""

from fastapi import APIRouter

from unspoken.api.credentials import sealed_item
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep, apply
from unspoken.api.schemas import NotebookOut
from unspoken.api.schemas.rules import MirrorBody, NewChapterBody
from unspoken.rules import chapters

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["chapters"])


@router.post("/chapters", status_code=201)
async def new_chapter(
    nb: str, body: NewChapterBody, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    """Chapter n, with its sealed title (and template, and mirror choice) as an item box. If
    the open chapter closes with it, the device signs both acts: chapter.closed, then opened."""
    meta = sealed_item(nb, me, "chapter", body.meta, ref=str(body.n))
    now, actor, chapter = services.now(), me.member.id, (body.n, body.mode, body.mirror)
    rule = acting.rule(lambda state: chapters.new_chapter(state, actor, chapter, meta, now))
    return await apply(services, nb, me, rule)


@router.post("/chapters/{n}/close")
async def close(
    nb: str, n: int, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    now, actor = services.now(), me.member.id
    rule = acting.rule(lambda state: chapters.close_chapter(state, actor, n, now))
    return await apply(services, nb, me, rule)


@router.post("/mirror")
async def answer(
    nb: str, body: MirrorBody, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> NotebookOut:
    """The writer's answer to a restatement: "got-it" or "more"."""
    now, actor = services.now(), me.member.id
    rule = acting.rule(lambda state: chapters.answer_mirror(state, actor, body.answer, now))
    return await apply(services, nb, me, rule)
