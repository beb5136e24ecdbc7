"""The notebook's rules: pauses, mirror state, leaving, knocks; chapters, promises, agreements.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(22)


def _notebook_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["notebook_id"], ["notebooks.id"])


def _sealed(prefix: str, nullable: bool) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_device", ID, nullable=nullable),
        sa.Column(f"{prefix}_ct", sa.LargeBinary, nullable=nullable),
        sa.Column(f"{prefix}_sig", sa.LargeBinary(64), nullable=nullable),
    ]


def _rule_columns() -> None:
    with op.batch_alter_table("notebooks") as batch:
        batch.add_column(
            sa.Column("chapter_state", sa.String(16), nullable=False, server_default="open")
        )
        batch.add_column(
            sa.Column("mirror_on", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("mirror_owed", ID))
        batch.add_column(sa.Column("mirror_awaiting", ID))
        batch.add_column(sa.Column("pause_by", ID))
        batch.add_column(sa.Column("pause_since", sa.BigInteger))
        batch.add_column(sa.Column("pause_until", sa.BigInteger))
        batch.add_column(
            sa.Column("pause_here", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_notebooks_pause_until", ["pause_until"])
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("left_at", sa.BigInteger))
        batch.add_column(sa.Column("knocked_at", sa.BigInteger))
        batch.create_index("ix_members_left_at", ["left_at"])


def _first_chapters(chapters: sa.Table) -> None:
    """Every notebook made before this revision has its one open chapter."""
    notebooks = sa.table(
        "notebooks",
        sa.column("id"),
        sa.column("chapter"),
        sa.column("mode"),
        sa.column("created_at"),
    )
    rows = sa.select(
        notebooks.c.id,
        notebooks.c.chapter,
        sa.literal("open"),
        notebooks.c.mode,
        sa.false(),
        notebooks.c.created_at,
    )
    columns = ["notebook_id", "n", "state", "mode", "mirror", "opened_at"]
    op.execute(sa.insert(chapters).from_select(columns, rows))


def upgrade() -> None:
    _rule_columns()
    chapters = op.create_table(
        "chapters",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("mirror", sa.Boolean, nullable=False),
        sa.Column("opened_at", sa.BigInteger, nullable=False),
        sa.Column("opened_by", ID),
        sa.Column("closed_at", sa.BigInteger),
        sa.Column("meta_id", ID),
        *_sealed("meta", nullable=True),
        _notebook_fk(),
    )
    assert chapters is not None  # noqa: S101 — create_table returns the table it made
    _first_chapters(chapters)
    op.create_table(
        "promises",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("made_by", ID, nullable=False),
        sa.Column("made_to", ID, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("made_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        *_sealed("text", nullable=False),
        _notebook_fk(),
    )
    op.create_table(
        "agreements",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("proposer", ID, nullable=False),
        sa.Column("proposed_at", sa.BigInteger, nullable=False),
        *_sealed("text", nullable=False),
        sa.Column("cosigner", ID),
        sa.Column("cosign_device", ID),
        sa.Column("cosign_sig", sa.LargeBinary(64)),
        sa.Column("agreed_at", sa.BigInteger),
        _notebook_fk(),
    )


def downgrade() -> None:
    for table in ("agreements", "promises", "chapters"):
        op.drop_table(table)
    with op.batch_alter_table("members") as batch:
        batch.drop_index("ix_members_left_at")
        for column in ("knocked_at", "left_at"):
            batch.drop_column(column)
    with op.batch_alter_table("notebooks") as batch:
        batch.drop_index("ix_notebooks_pause_until")
        for column in (
            "pause_here",
            "pause_until",
            "pause_since",
            "pause_by",
            "mirror_awaiting",
            "mirror_owed",
            "mirror_on",
            "chapter_state",
        ):
            batch.drop_column(column)
