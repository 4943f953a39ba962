"""The tables: tickets (scrubbed text only), append-only feedback events, chat sessions.

Alembic migrations (store/migrations) create them; `alembic check` in the tests holds the two equal.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations can refer to them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
EXTERNAL_ID_CHARS = 128
CATEGORY_CHARS = 100
SESSION_ID_CHARS = 64
REVIEWER_CHARS = 64


class TicketStatus(StrEnum):
    """Where a ticket is in the helpdesk's life cycle."""

    NEW = "new"
    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Channel(StrEnum):
    """How the ticket reached the helpdesk (a closed set: it is also a metric label)."""

    API = "api"
    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    WEB = "web"


def one_of(column: str, values: type[StrEnum]) -> str:
    """SQL CHECK expression: the column holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"


def utc_now() -> datetime:
    """Timestamps are timezone-aware UTC everywhere."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A UTC timestamp that reads back timezone-aware on SQLite too (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: the store keeps UTC-aware timestamps only")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Ticket(Base):
    """One triaged ticket. `text` is the scrubbed text the agent produced: the raw one is never stored."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_CHARS), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default=Channel.API)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.NEW)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    pii: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    category: Mapped[str] = mapped_column(String(CATEGORY_CHARS))
    confidence: Mapped[float]
    scores: Mapped[dict[str, float]] = mapped_column(JSON)
    model: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(255))
    explanation: Mapped[str] = mapped_column(Text)
    needs_review: Mapped[bool]
    # The priority model's level and its probability; null when no priority model is served or it failed.
    priority: Mapped[str | None] = mapped_column(String(32), index=True)
    priority_confidence: Mapped[float | None]
    corrected_category: Mapped[str | None] = mapped_column(String(CATEGORY_CHARS))
    corrected_by: Mapped[str | None] = mapped_column(String(REVIEWER_CHARS))
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    chat_session_id: Mapped[str | None] = mapped_column(String(SESSION_ID_CHARS), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # SQLAlchemy adds `AND version = :old` to every UPDATE and raises StaleDataError when it matched no row.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declarative protocol)
    __table_args__ = (
        CheckConstraint(one_of("status", TicketStatus), name="status"),
        CheckConstraint(one_of("channel", Channel), name="channel"),
        Index("ix_tickets_review_queue", "needs_review", "corrected_at", "deleted_at", "id"),
        Index("ix_tickets_created_at", "created_at"),
    )

    @property
    def final_category(self) -> str:
        """The reviewer's category when there is one, else the model's."""
        return self.corrected_category or self.category

    @property
    def reviewed(self) -> bool:
        return self.corrected_at is not None


class FeedbackEvent(Base):
    """One review (a confirmation or a correction): append-only, the learning loop reads these."""

    __tablename__ = "feedback_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    predicted: Mapped[str] = mapped_column(String(CATEGORY_CHARS))
    corrected: Mapped[str] = mapped_column(String(CATEGORY_CHARS))
    model_version: Mapped[str] = mapped_column(String(255))
    corrected_by: Mapped[str | None] = mapped_column(String(REVIEWER_CHARS))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ChatSession(Base):
    """What the chat remembers between messages: language, what it waits for, the last ticket named."""

    __tablename__ = "chat_sessions"

    id: Mapped[str] = mapped_column(String(SESSION_ID_CHARS), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    awaiting: Mapped[str | None] = mapped_column(String(32))
    last_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    turns: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
