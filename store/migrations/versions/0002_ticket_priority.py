"""tickets: the priority's confidence, and an index for the priority filter

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no server default: an ALTER TABLE on both backends, existing tickets stay unrated (null).
    op.add_column("tickets", sa.Column("priority_confidence", sa.Double(), nullable=True))
    op.create_index(op.f("ix_tickets_priority"), "tickets", ["priority"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_priority"), table_name="tickets")
    op.drop_column("tickets", "priority_confidence")  # SQLite >= 3.35 drops a column in place
