"""Read queries for the rules' own tables: chapters, promises, agreements, and what is due."""

from collections import defaultdict
from typing import cast

from sqlalchemy import Connection, select

from unspoken.rules import Agreement, Promise, Record, Sealed, Signature
from unspoken.rules.promises import PromiseState
from unspoken.store.base import ChapterView
from unspoken.store.rows import AnyRow, from_ms, record_from_row
from unspoken.store.tables import agreements, members, notebooks, promises, records
from unspoken.store.tables import chapters as chapter_table

PROMISE_KINDS = ("promise.made", "promise.acknowledged", "promise.withdrawn", "promise.marked")
AGREEMENT_KINDS = ("agreement.proposed", "agreement.signed")


def _sealed(row: AnyRow, prefix: str, item_id: str | None) -> Sealed | None:
    device = getattr(row, f"{prefix}_device")
    if device is None or item_id is None:
        return None
    ct, sig = getattr(row, f"{prefix}_ct"), getattr(row, f"{prefix}_sig")
    return Sealed(item_id, device, bytes(ct), bytes(sig))


def _chapter(row: AnyRow) -> ChapterView:
    closed = None if row.closed_at is None else from_ms(row.closed_at)
    return ChapterView(
        row.n,
        row.state,
        row.mode,
        bool(row.mirror),
        from_ms(row.opened_at),
        row.opened_by,
        closed,
        _sealed(row, "meta", row.meta_id),
    )


def chapters(conn: Connection, notebook_id: str) -> tuple[ChapterView, ...]:
    query = select(chapter_table).where(chapter_table.c.notebook_id == notebook_id)
    return tuple(_chapter(row) for row in conn.execute(query.order_by(chapter_table.c.n)))


def _promise(row: AnyRow) -> Promise:
    text = _sealed(row, "text", row.id)
    assert text is not None  # noqa: S101 — the columns are NOT NULL
    return Promise(
        row.id,
        row.made_by,
        row.made_to,
        cast(PromiseState, row.state),
        from_ms(row.made_at),
        from_ms(row.updated_at),
        text,
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
    text = _sealed(row, "text", row.id)
    assert text is not None  # noqa: S101 — the columns are NOT NULL
    cosigned = None
    if row.cosigner is not None:
        cosigned = Signature(
            row.cosigner, row.cosign_device, bytes(row.cosign_sig), from_ms(row.agreed_at)
        )
    return Agreement(row.id, row.proposer, text, from_ms(row.proposed_at), cosigned)


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


def paused_until_before(conn: Connection, now_ms: int) -> list[str]:
    """Notebooks whose pause has run out (the sweeper's only cross-notebook scan, indexed)."""
    query = select(notebooks.c.id).where(
        notebooks.c.pause_until.is_not(None), notebooks.c.pause_until <= now_ms
    )
    return [row.id for row in conn.execute(query)]


def with_goodbyes(conn: Connection) -> list[str]:
    """Notebooks someone has left; the sweeper asks the rules whether each is due."""
    query = select(members.c.notebook_id).where(members.c.left_at.is_not(None)).distinct()
    return [row.notebook_id for row in conn.execute(query)]
