"""What the rules' handlers share: a store that runs functions in a transaction, and one path
from a pure rule to a committed, published answer."""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from unspoken.api.credentials import require_signature
from unspoken.api.deps import MemberDep, ServicesDep, not_found
from unspoken.api.problems import Problem
from unspoken.api.rule_schemas import SealedItem
from unspoken.api.schemas import NotebookOut
from unspoken.api.views import notebook_out
from unspoken.protocol.chain import item_aad
from unspoken.rules import NotebookState, Outcome, Sealed
from unspoken.store import rule_ops
from unspoken.store.base import Committed, Transactor

T = TypeVar("T")


def transactor(services: ServicesDep) -> Transactor:
    store = services.store
    if not isinstance(store, Transactor):
        raise Problem(
            501, "Not supported", "This server's store does not support the notebook's rules yet."
        )
    return store


async def write(services: ServicesDep, nb: str, fn: Callable[..., Committed[T]]) -> T:
    """Run a write; publish its records once committed; answer its value."""
    committed = await transactor(services).write(fn)
    await services.publish(nb, committed.records)
    return committed.value


async def apply(
    services: ServicesDep, nb: str, me: MemberDep, rule: Callable[[NotebookState], Outcome]
) -> NotebookOut:
    """The generic path: a rule on the notebook, answered with the notebook afterwards."""
    view = await write(services, nb, partial(rule_ops.apply, notebook_id=nb, rule=rule))
    if view is None:
        raise not_found()
    return notebook_out(view, me.member.id)


def sealed_item(nb: str, me: MemberDep, kind: str, item: SealedItem, ref: str = "") -> Sealed:
    """An item box the caller's device signed for this place; refused with 422 otherwise."""
    require_signature(
        me.public_key, item_aad(nb, kind, item.id, ref, me.device_id), item.ct, item.sig
    )
    return Sealed(item.id, me.device_id, item.ct, item.sig)


def maybe_item(nb: str, me: MemberDep, kind: str, item: SealedItem | None) -> Sealed | None:
    return None if item is None else sealed_item(nb, me, kind, item)
