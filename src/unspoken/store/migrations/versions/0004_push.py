"""Web Push: each device's subscription, the notices it wants and its quiet hours.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(22)


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("notebook_id", ID, primary_key=True),
        sa.Column("device_id", ID, primary_key=True),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("endpoint", sa.String(2048)),
        sa.Column("p256dh", sa.LargeBinary(65)),
        sa.Column("auth", sa.LargeBinary(16)),
        sa.Column("notices", sa.String(64), nullable=False),
        sa.Column("quiet_start", sa.Integer),
        sa.Column("quiet_end", sa.Integer),
        sa.Column("quiet_zone", sa.String(64)),
        sa.Column("held", sa.String(64)),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["notebook_id", "device_id"], ["devices.notebook_id", "devices.id"]
        ),
    )
    op.create_index("ix_push_subscriptions_held", "push_subscriptions", ["held"])


def downgrade() -> None:
    op.drop_index("ix_push_subscriptions_held", "push_subscriptions")
    op.drop_table("push_subscriptions")
