"""Write transactions for the notebook's rules, in dialect-neutral SQLAlchemy Core.

The generic path: load the state inside the transaction, ask a pure rule, persist the new state
and its records. Promises and agreements also keep their current state in their own tables;
their history is the log.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, delete, update

from unspoken.rules import (
    Agreement,
    NotebookState,
    Outcome,
    Promise,
    Refusal,
    RuleViolation,
    Sealed,
    pauses,
)
from unspoken.rules.membership import due_for_erasure
from unspoken.store import rule_reads
from unspoken.store.base import Committed, NotebookView
from unspoken.store.operations import _persist, load_state, load_view
from unspoken.store.rows import to_ms
from unspoken.store.tables import (
    agreements,
    chapters,
    device_links,
    devices,
    epoch_keys,
    invites,
    members,
    notebooks,
    promises,
    push_subscriptions,
    records,
)

Rule = Callable[[NotebookState], Outcome]


def apply(conn: Connection, notebook_id: str, rule: Rule) -> Committed[NotebookView | None]:
    """Run one rule on the notebook; the answer is the notebook afterwards (None once erased)."""
    before = load_state(conn, notebook_id)
    outcome = rule(before)
    _persist(conn, before, outcome)
    if due_for_erasure(outcome.state, outcome.records[-1].at):
        erase(conn, notebook_id)
        return Committed(None, outcome.records)
    return Committed(load_view(conn, notebook_id), outcome.records)


def erase(conn: Connection, notebook_id: str) -> None:
    """Delete every row of one notebook, children first (foreign keys)."""
    children = (
        records,
        invites,
        push_subscriptions,
        device_links,
        epoch_keys,
        devices,
        chapters,
        promises,
        agreements,
    )
    for table in (*children, members):
        conn.execute(delete(table).where(table.c.notebook_id == notebook_id))
    conn.execute(delete(notebooks).where(notebooks.c.id == notebook_id))


def _sealed_values(prefix: str, sealed: Sealed) -> dict[str, object]:
    return {
        f"{prefix}_device": sealed.device,
        f"{prefix}_ct": sealed.ct,
        f"{prefix}_sig": sealed.sig,
    }


def make_promise(
    conn: Connection, notebook_id: str, rule: Callable[[NotebookState], tuple[Outcome, Promise]]
) -> Committed[Promise]:
    before = load_state(conn, notebook_id)
    outcome, made = rule(before)
    if rule_reads.promise(conn, notebook_id, made.id) is not None:
        raise RuleViolation(Refusal.PROMISE_ID_IN_USE)
    _persist(conn, before, outcome)
    conn.execute(
        promises.insert().values(
            notebook_id=notebook_id,
            id=made.id,
            made_by=made.by,
            made_to=made.to,
            state=made.state,
            made_at=to_ms(made.made_at),
            updated_at=to_ms(made.updated_at),
            **_sealed_values("text", made.text),
        )
    )
    return Committed(made, outcome.records)


PromiseRule = Callable[[NotebookState, Promise | None], tuple[Outcome, Promise]]


def change_promise(
    conn: Connection, notebook_id: str, promise_id: str, rule: PromiseRule
) -> Committed[Promise]:
    before = load_state(conn, notebook_id)
    outcome, changed = rule(before, rule_reads.promise(conn, notebook_id, promise_id))
    _persist(conn, before, outcome)
    query = update(promises).where(
        promises.c.notebook_id == notebook_id, promises.c.id == promise_id
    )
    conn.execute(query.values(state=changed.state, updated_at=to_ms(changed.updated_at)))
    return Committed(changed, outcome.records)


def propose(
    conn: Connection, notebook_id: str, rule: Callable[[NotebookState], tuple[Outcome, Agreement]]
) -> Committed[Agreement]:
    before = load_state(conn, notebook_id)
    outcome, proposed = rule(before)
    if rule_reads.agreement(conn, notebook_id, proposed.id) is not None:
        raise RuleViolation(Refusal.AGREEMENT_ID_IN_USE)
    _persist(conn, before, outcome)
    conn.execute(
        agreements.insert().values(
            notebook_id=notebook_id,
            id=proposed.id,
            proposer=proposed.proposer,
            proposed_at=to_ms(proposed.proposed_at),
            **_sealed_values("text", proposed.text),
        )
    )
    return Committed(proposed, outcome.records)


AgreementRule = Callable[[NotebookState, Agreement | None], tuple[Outcome, Agreement]]


def cosign(
    conn: Connection, notebook_id: str, agreement_id: str, rule: AgreementRule
) -> Committed[Agreement]:
    before = load_state(conn, notebook_id)
    outcome, signed = rule(before, rule_reads.agreement(conn, notebook_id, agreement_id))
    cosigned = signed.cosigned
    assert cosigned is not None  # noqa: S101 — the rule returns the signed agreement
    _persist(conn, before, outcome)
    query = update(agreements).where(
        agreements.c.notebook_id == notebook_id, agreements.c.id == agreement_id
    )
    conn.execute(
        query.values(
            cosigner=cosigned.member,
            cosign_device=cosigned.device,
            cosign_sig=cosigned.sig,
            agreed_at=to_ms(cosigned.at),
        )
    )
    return Committed(signed, outcome.records)


def expire_pause(conn: Connection, notebook_id: str, now: datetime) -> Committed[None]:
    """The sweeper's step: idempotent, so several processes may run it at once."""
    before = rule_reads_state(conn, notebook_id)
    outcome = pauses.expire(before, now) if before is not None else None
    if before is None or outcome is None:
        return Committed(None)
    _persist(conn, before, outcome)
    return Committed(None, outcome.records)


def erase_if_due(conn: Connection, notebook_id: str, now: datetime) -> bool:
    state = rule_reads_state(conn, notebook_id)
    if state is None or not due_for_erasure(state, now):
        return False
    erase(conn, notebook_id)
    return True


def rule_reads_state(conn: Connection, notebook_id: str) -> NotebookState | None:
    try:
        return load_state(conn, notebook_id)
    except RuleViolation:
        return None
