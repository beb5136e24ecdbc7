"""A partner's several devices: device states and exchange keys, device links, key epochs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(22)


def _notebook_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["notebook_id"], ["notebooks.id"])


def upgrade() -> None:
    with op.batch_alter_table("notebooks") as batch:
        batch.add_column(sa.Column("epoch", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("rekey_due", sa.Boolean, nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="active"))
        batch.add_column(sa.Column("revoked_at", sa.BigInteger))
        batch.add_column(sa.Column("exchange_key", sa.LargeBinary(32)))
        batch.add_column(sa.Column("exchange_sig", sa.LargeBinary(64)))
        batch.add_column(sa.Column("added_by", ID))
        batch.add_column(sa.Column("cert", sa.LargeBinary(64)))
    op.create_table(
        "device_links",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("by_device", ID, nullable=False),
        sa.Column("claim_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("device_id", ID),
        sa.Column("key_mac", sa.LargeBinary(32)),
        sa.Column("package", sa.LargeBinary),
        _notebook_fk(),
    )
    op.create_index("ix_device_links_id", "device_links", ["id"], unique=True)
    op.create_table(
        "epoch_keys",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("epoch", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("device_id", ID, primary_key=True),
        sa.Column("by_device", ID, nullable=False),
        sa.Column("wrap", sa.LargeBinary, nullable=False),
        sa.Column("sig", sa.LargeBinary(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        _notebook_fk(),
    )


def downgrade() -> None:
    op.drop_table("epoch_keys")
    op.drop_index("ix_device_links_id", "device_links")
    op.drop_table("device_links")
    with op.batch_alter_table("devices") as batch:
        for column in ("cert", "added_by", "exchange_sig", "exchange_key", "revoked_at", "state"):
            batch.drop_column(column)
    with op.batch_alter_table("notebooks") as batch:
        for column in ("rekey_due", "epoch"):
            batch.drop_column(column)
