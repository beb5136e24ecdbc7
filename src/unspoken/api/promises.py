"""Promises: make, acknowledge, withdraw, mark; and the promises page with its history."""

from fastapi import APIRouter

from unspoken.api.credentials import sealed_item
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep
from unspoken.api.schemas.rules import MarkBody, PromiseList, PromiseOut, SealedItem
from unspoken.api.views import item_out
from unspoken.rules import Promise, Record, require_reader
from unspoken.rules import promises as rules
from unspoken.server import reads, writes
from unspoken.server.acts import Acting
from unspoken.server.wire import iso, record_json
from unspoken.server.writes import PromiseRule

router = APIRouter(prefix="/v1/notebooks/{nb}/promises", tags=["promises"])


def promise_out(promise: Promise, history: list[Record] | None = None) -> PromiseOut:
    return PromiseOut(
        id=promise.id,
        by=promise.by,
        to=promise.to,
        state=promise.state,
        made_at=iso(promise.made_at),
        updated_at=iso(promise.updated_at),
        text=item_out(promise.text),
        history=None if history is None else [record_json(r) for r in history],
    )


@router.post("", status_code=201)
async def make(
    nb: str, body: SealedItem, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> PromiseOut:
    """A promise to the partner; its text is an item box of kind `promise`."""
    text, now, actor = sealed_item(nb, me, "promise", body), services.now(), me.member.id
    work = writes.make_promise(nb, acting.rule_with(lambda s: rules.make(s, actor, text, now)))
    return promise_out(await services.commit(work))


@router.get("")
async def listing(nb: str, me: MemberDep, services: ServicesDep) -> PromiseList:
    require_reader(me.member)
    found = await reads.promises(services.store, nb)
    return PromiseList(promises=[promise_out(p, history) for p, history in found])


async def _change(
    services: ServicesDep, nb: str, promise_id: str, acting: Acting, rule: PromiseRule
) -> PromiseOut:
    work = writes.change_promise(nb, promise_id, acting.rule_on(rule))
    return promise_out(await services.commit(work))


@router.post("/{promise}/acknowledge")
async def acknowledge(
    nb: str, promise: str, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> PromiseOut:
    now, actor = services.now(), me.member.id
    rule: PromiseRule = lambda s, p: rules.acknowledge(s, p, actor, now)  # noqa: E731
    return await _change(services, nb, promise, acting, rule)


@router.post("/{promise}/withdraw")
async def withdraw(
    nb: str, promise: str, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> PromiseOut:
    now, actor = services.now(), me.member.id
    rule: PromiseRule = lambda s, p: rules.withdraw(s, p, actor, now)  # noqa: E731
    return await _change(services, nb, promise, acting, rule)


@router.post("/{promise}/mark")
async def mark(
    nb: str, promise: str, body: MarkBody, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> PromiseOut:
    """Kept, broken or released, by the one it was made to, with an optional sealed note."""
    note = None
    if body.note is not None:
        note = sealed_item(nb, me, "promise-note", body.note, ref=promise)
    now, actor, outcome = services.now(), me.member.id, body.outcome
    rule: PromiseRule = lambda s, p: rules.mark(s, p, actor, outcome, note, now)  # noqa: E731
    return await _change(services, nb, promise, acting, rule)
