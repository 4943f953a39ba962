"""tickets, feedback events (append-only), chat sessions

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)
APPEND_ONLY = "feedback events are append-only"


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("pii", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("model_version", sa.String(length=255), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("corrected_category", sa.String(length=100), nullable=True),
        sa.Column("corrected_by", sa.String(length=64), nullable=True),
        sa.Column("corrected_at", UTC_TIME, nullable=True),
        sa.Column("chat_session_id", sa.String(length=64), nullable=True),
        sa.Column("deleted_at", UTC_TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("channel IN ('api', 'email', 'phone', 'chat', 'web')", name=op.f("ck_tickets_channel")),
        sa.CheckConstraint("status IN ('new', 'open', 'resolved', 'closed')", name=op.f("ck_tickets_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tickets_external_id")),
    )
    op.create_index(op.f("ix_tickets_chat_session_id"), "tickets", ["chat_session_id"])
    op.create_index("ix_tickets_created_at", "tickets", ["created_at"])
    op.create_index("ix_tickets_review_queue", "tickets", ["needs_review", "corrected_at", "deleted_at", "id"])
    op.create_table(
        "chat_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("awaiting", sa.String(length=32), nullable=True),
        sa.Column("last_ticket_id", sa.Integer(), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["last_ticket_id"], ["tickets.id"], name=op.f("fk_chat_sessions_last_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_sessions")),
    )
    op.create_table(
        "feedback_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("predicted", sa.String(length=100), nullable=False),
        sa.Column("corrected", sa.String(length=100), nullable=False),
        sa.Column("model_version", sa.String(length=255), nullable=False),
        sa.Column("corrected_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_feedback_events_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_events")),
    )
    op.create_index(op.f("ix_feedback_events_ticket_id"), "feedback_events", ["ticket_id"])
    create_append_only_triggers()


def create_append_only_triggers() -> None:
    """The database itself refuses to update or delete a feedback event, whoever connects."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION feedback_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER feedback_events_append_only BEFORE UPDATE OR DELETE ON feedback_events "
            "FOR EACH ROW EXECUTE FUNCTION feedback_events_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER feedback_events_no_{action.lower()} BEFORE {action} ON feedback_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER feedback_events_append_only ON feedback_events")
        op.execute("DROP FUNCTION feedback_events_append_only()")
    op.drop_table("feedback_events")
    op.drop_table("chat_sessions")
    op.drop_table("tickets")
