"""The chapters table: kept in step with the records a rule just wrote, and read back."""

from datetime import datetime

from sqlalchemy import Connection, Update, select, update

from unspoken.protocol.encoding import b64decode
from unspoken.rules import Record
from unspoken.store.base import ChapterView
from unspoken.store.rows import AnyRow, from_ms, sealed_from_row, to_ms
from unspoken.store.tables import chapters


def insert_first(conn: Connection, notebook_id: str, member_id: str, now: datetime) -> None:
    """Chapter 1 opens with the notebook; it has no sealed title."""
    conn.execute(
        chapters.insert().values(
            notebook_id=notebook_id,
            n=1,
            state="open",
            mode="turns",
            mirror=False,
            opened_at=to_ms(now),
            opened_by=member_id,
        )
    )


def _chapter(notebook_id: str, n: int) -> Update:
    return update(chapters).where(chapters.c.notebook_id == notebook_id, chapters.c.n == n)


def follow(conn: Connection, notebook_id: str, records: tuple[Record, ...]) -> None:
    """Mirror chapter.closed, chapter.opened and mode.changed records into the table."""
    for record in records:
        extra, at = record.extra, to_ms(record.at)
        if record.kind == "chapter.closed":
            conn.execute(
                _chapter(notebook_id, extra["chapter"]).values(state="closed", closed_at=at)
            )
        elif record.kind == "mode.changed":
            conn.execute(_chapter(notebook_id, extra["chapter"]).values(mode=extra["mode"]))
        elif record.kind == "chapter.opened":
            meta = extra["meta"]
            conn.execute(
                chapters.insert().values(
                    notebook_id=notebook_id,
                    n=extra["chapter"],
                    state="open",
                    mode=extra["mode"],
                    mirror=extra["mirror"],
                    opened_at=at,
                    opened_by=record.member,
                    meta_id=meta["id"],
                    meta_device=meta["device"],
                    meta_ct=b64decode(meta["ct"]),
                    meta_sig=b64decode(meta["sig"]),
                )
            )


def _chapter_view(row: AnyRow) -> ChapterView:
    closed = None if row.closed_at is None else from_ms(row.closed_at)
    return ChapterView(
        row.n,
        row.state,
        row.mode,
        bool(row.mirror),
        from_ms(row.opened_at),
        row.opened_by,
        closed,
        sealed_from_row(row, "meta", row.meta_id),
    )


def views(conn: Connection, notebook_id: str) -> tuple[ChapterView, ...]:
    query = select(chapters).where(chapters.c.notebook_id == notebook_id)
    return tuple(_chapter_view(row) for row in conn.execute(query.order_by(chapters.c.n)))
