"""An agreement's answers before both sign: "not yet", and other words that replace its text.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreements") as batch:
        batch.add_column(sa.Column("text_id", sa.String(22)))
        batch.add_column(sa.Column("not_yet_at", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("agreements") as batch:
        batch.drop_column("not_yet_at")
        batch.drop_column("text_id")
