"""Promises and agreements: their writes and reads, in dialect-neutral SQLAlchemy Core.

Each keeps its current state in its own table; its history is the log. A write loads the
notebook's state, asks a pure rule (given the item as stored), persists the outcome and the
item's new row.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import cast

from sqlalchemy import Connection, select, update

from unspoken.rules import (
    Agreement,
    NotebookState,
    Outcome,
    Promise,
    Record,
    Refusal,
    RuleViolation,
    Sealed,
    Signature,
)
from unspoken.rules.promises import PromiseState
from unspoken.store.persist import load_state, persist
from unspoken.store.rows import AnyRow, from_ms, record_from_row, sealed_from_row, to_ms
from unspoken.store.tables import agreements, promises, records
from unspoken.store.work import Committed

PROMISE_KINDS = ("promise.made", "promise.acknowledged", "promise.withdrawn", "promise.marked")
AGREEMENT_KINDS = (
    "agreement.proposed",
    "agreement.signed",
    "agreement.declined",
    "agreement.revised",
)
PromiseRule = Callable[[NotebookState, Promise | None], tuple[Outcome, Promise]]
AgreementRule = Callable[[NotebookState, Agreement | None], tuple[Outcome, Agreement]]


def _sealed_values(prefix: str, sealed: Sealed) -> dict[str, object]:
    return {
        f"{prefix}_device": sealed.device,
        f"{prefix}_ct": sealed.ct,
        f"{prefix}_sig": sealed.sig,
    }


def _text(row: AnyRow) -> Sealed:
    text = sealed_from_row(row, "text", row.id)
    assert text is not None  # noqa: S101 — the columns are NOT NULL
    return text


def make_promise(
    conn: Connection, notebook_id: str, rule: Callable[[NotebookState], tuple[Outcome, Promise]]
) -> Committed[Promise]:
    before = load_state(conn, notebook_id)
    outcome, made = rule(before)
    if promise(conn, notebook_id, made.id) is not None:
        raise RuleViolation(Refusal.PROMISE_ID_IN_USE)
    persist(conn, before, outcome)
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


def change_promise(
    conn: Connection, notebook_id: str, promise_id: str, rule: PromiseRule
) -> Committed[Promise]:
    before = load_state(conn, notebook_id)
    outcome, changed = rule(before, promise(conn, notebook_id, promise_id))
    persist(conn, before, outcome)
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
    if agreement(conn, notebook_id, proposed.id) is not None:
        raise RuleViolation(Refusal.AGREEMENT_ID_IN_USE)
    persist(conn, before, outcome)
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


def change_agreement(
    conn: Connection, notebook_id: str, agreement_id: str, rule: AgreementRule
) -> Committed[Agreement]:
    """Sign, say "not yet" to, or revise an agreement: the row takes the rule's agreement."""
    before = load_state(conn, notebook_id)
    outcome, changed = rule(before, agreement(conn, notebook_id, agreement_id))
    text = changed.text
    if text.id != agreement_id and agreement(conn, notebook_id, text.id) is not None:
        raise RuleViolation(Refusal.AGREEMENT_ID_IN_USE)
    persist(conn, before, outcome)
    query = update(agreements).where(
        agreements.c.notebook_id == notebook_id, agreements.c.id == agreement_id
    )
    cosigned = changed.cosigned
    conn.execute(
        query.values(
            proposer=changed.proposer,
            proposed_at=to_ms(changed.proposed_at),
            text_id=None if text.id == agreement_id else text.id,
            **_sealed_values("text", text),
            cosigner=cosigned.member if cosigned else None,
            cosign_device=cosigned.device if cosigned else None,
            cosign_sig=cosigned.sig if cosigned else None,
            agreed_at=to_ms(cosigned.at) if cosigned else None,
            not_yet_at=to_ms(changed.not_yet_at) if changed.not_yet_at else None,
        )
    )
    return Committed(changed, outcome.records)


def _promise(row: AnyRow) -> Promise:
    return Promise(
        row.id,
        row.made_by,
        row.made_to,
        cast(PromiseState, row.state),
        from_ms(row.made_at),
        from_ms(row.updated_at),
        _text(row),
    )


def promise(conn: Connection, notebook_id: str, promise_id: str) -> Promise | None:
    query = select(promises).where(
        promises.c.notebook_id == notebook_id, promises.c.id == promise_id
    )
    row = conn.execute(query).first()
    return None if row is None else _promise(row)


def all_promises(conn: Connection, notebook_id: str) -> list[Promise]:
    query = select(promises).where(promises.c.notebook_id == notebook_id)
    return [_promise(r) for r in conn.execute(query.order_by(promises.c.made_at, promises.c.id))]


def _agreement(row: AnyRow) -> Agreement:
    cosigned = None
    if row.cosigner is not None:
        cosigned = Signature(
            row.cosigner, row.cosign_device, bytes(row.cosign_sig), from_ms(row.agreed_at)
        )
    text = sealed_from_row(row, "text", row.text_id or row.id)
    assert text is not None  # noqa: S101 — the columns are NOT NULL
    not_yet_at = None if row.not_yet_at is None else from_ms(row.not_yet_at)
    return Agreement(row.id, row.proposer, text, from_ms(row.proposed_at), cosigned, not_yet_at)


def agreement(conn: Connection, notebook_id: str, agreement_id: str) -> Agreement | None:
    query = select(agreements).where(
        agreements.c.notebook_id == notebook_id, agreements.c.id == agreement_id
    )
    row = conn.execute(query).first()
    return None if row is None else _agreement(row)


def all_agreements(conn: Connection, notebook_id: str) -> list[Agreement]:
    query = select(agreements).where(agreements.c.notebook_id == notebook_id)
    order = query.order_by(agreements.c.proposed_at, agreements.c.id)
    return [_agreement(r) for r in conn.execute(order)]


def histories(
    conn: Connection, notebook_id: str, kinds: tuple[str, ...], key: str
) -> dict[str, list[Record]]:
    """The log's records of `kinds`, grouped by the item they name in `extra[key]`."""
    query = select(records).where(records.c.notebook_id == notebook_id, records.c.kind.in_(kinds))
    grouped: defaultdict[str, list[Record]] = defaultdict(list)
    for row in conn.execute(query.order_by(records.c.seq)):
        record = record_from_row(row)
        grouped[str(record.extra.get(key))].append(record)
    return grouped


def promises_with_history(conn: Connection, notebook_id: str) -> list[tuple[Promise, list[Record]]]:
    history = histories(conn, notebook_id, PROMISE_KINDS, "promise")
    return [(p, history.get(p.id, [])) for p in all_promises(conn, notebook_id)]


def agreements_with_history(
    conn: Connection, notebook_id: str
) -> list[tuple[Agreement, list[Record]]]:
    history = histories(conn, notebook_id, AGREEMENT_KINDS, "agreement")
    return [(a, history.get(a.id, [])) for a in all_agreements(conn, notebook_id)]
