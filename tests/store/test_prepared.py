"""Prepared statements (store/prepared.py) behave like Core on every backend: the same rows,
the same exceptions."""

import pytest
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError

from store.helpers import NOW, chain, make_notebook
from unspoken.api.refusals import said
from unspoken.rules import RuleViolation
from unspoken.server import writes
from unspoken.store import Store
from unspoken.store.postgres import PostgresStore
from unspoken.store.prepared import Prepared
from unspoken.store.tables import records
from unspoken.store.work import Work

_RECORDS = (
    select(records.c.seq, records.c.kind, records.c.entry_id, records.c.hash)
    .where(records.c.notebook_id == bindparam("nb"))
    .order_by(records.c.seq)
)
_PREPARED = Prepared(_RECORDS)
_INSERT = Prepared(records.insert())


async def test_rows_match_what_core_reads(store: Store) -> None:
    notebook_id, member = await make_notebook(store)
    for entry in chain(3):
        await store.write(writes.append_entry(notebook_id, member, entry, NOW))

    def both(conn: Connection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        core = [tuple(row) for row in conn.execute(_RECORDS, {"nb": notebook_id})]
        prepared = _PREPARED.rows(conn, {"nb": notebook_id})
        assert [row.kind for row in prepared] == ["notebook.created", "entry", "entry", "entry"]
        return core, [tuple(row) for row in prepared]

    core, prepared = await store.read(both)
    assert prepared == core and len(core) == 4


async def test_a_driver_error_is_sqlalchemys_and_keeps_nothing(store: Store) -> None:
    notebook_id, _ = await make_notebook(store)
    row = {
        "notebook_id": notebook_id, "seq": 1, "kind": "entry", "at": 0, "member": "m",
        "entry_id": None, "chapter": None, "device": None, "prev": None, "hash": None,
        "ct": None, "sig": None, "extra": None,
    }  # fmt: skip

    def duplicate(conn: Connection) -> None:
        _INSERT.execute(conn, row)  # seq 1 is notebook.created already

    # SQLite's store lets SQLAlchemy's IntegrityError through; PostgreSQL's turns exactly that
    # exception (a unique id raced by another process) into the 409 SQLite's rules would give.
    with pytest.raises((IntegrityError, RuleViolation)) as raised:
        await store.write(Work(notebook_id, duplicate))
    if isinstance(store, PostgresStore):
        assert isinstance(raised.value, RuleViolation) and said(raised.value).title == "Id in use"
    else:
        assert isinstance(raised.value, IntegrityError)

    def kinds(conn: Connection) -> list[str]:
        return [row.kind for row in _PREPARED.rows(conn, {"nb": notebook_id})]

    assert await store.read(kinds) == ["notebook.created"]
