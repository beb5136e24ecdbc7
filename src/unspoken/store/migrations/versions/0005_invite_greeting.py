"""An invite's greeting: the inviter's name, sealed under the invite's own key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("greeting", sa.LargeBinary))


def downgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("greeting")
