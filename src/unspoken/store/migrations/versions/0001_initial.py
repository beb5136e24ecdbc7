"""Notebooks, members, devices, invites and the record log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(22)


def _notebook_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["notebook_id"], ["notebooks.id"])


def upgrade() -> None:
    op.create_table(
        "notebooks",
        sa.Column("id", ID, primary_key=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("sealed", sa.Boolean, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("pen", ID),
        sa.Column("chapter", sa.Integer, nullable=False),
        sa.Column("head_seq", sa.BigInteger, nullable=False),
        sa.Column("head_hash", sa.LargeBinary(32), nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("joined_at", sa.BigInteger, nullable=False),
        sa.Column("key_mac", sa.LargeBinary(32)),
        sa.Column("profile_device", ID),
        sa.Column("profile_ct", sa.LargeBinary),
        sa.Column("profile_sig", sa.LargeBinary(64)),
        _notebook_fk(),
    )
    op.create_table(
        "devices",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["notebook_id", "member_id"], ["members.notebook_id", "members.id"]
        ),
    )
    op.create_index("ix_devices_token_hash", "devices", ["token_hash"], unique=True)
    op.create_table(
        "invites",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("claim_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("bundle", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _notebook_fk(),
    )
    op.create_index("ix_invites_id", "invites", ["id"], unique=True)
    op.create_table(
        "records",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("member", ID, nullable=False),
        sa.Column("entry_id", ID),
        sa.Column("chapter", sa.Integer),
        sa.Column("device", ID),
        sa.Column("prev", sa.LargeBinary(32)),
        sa.Column("hash", sa.LargeBinary(32)),
        sa.Column("ct", sa.LargeBinary),
        sa.Column("sig", sa.LargeBinary(64)),
        sa.Column("extra", sa.JSON),
        _notebook_fk(),
    )
    op.create_index("ix_records_entry", "records", ["notebook_id", "entry_id"], unique=True)


def downgrade() -> None:
    for table in ("records", "invites", "devices", "members", "notebooks"):
        op.drop_table(table)
