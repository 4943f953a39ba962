"""Chat sessions: what the chat remembers between two messages of one conversation."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.schema import ChatSession, utc_now


def open_chat_session(session: Session, session_id: str, language: str) -> ChatSession:
    """The stored state of `session_id`, created on its first message (a concurrent first message is fine)."""
    state = session.get(ChatSession, session_id)
    if state is not None:
        return state
    now = utc_now()
    state = ChatSession(id=session_id, language=language, turns=0, created_at=now, updated_at=now)
    try:
        with session.begin_nested():
            session.add(state)
    except IntegrityError:
        return session.get(ChatSession, session_id, populate_existing=True)
    return state


def end_turn(state: ChatSession, language: str, awaiting: str | None, last_ticket_id: int | None) -> None:
    """Remember this turn's outcome: reply language, what the next message answers, the ticket in play."""
    state.language = language
    state.awaiting = awaiting
    if last_ticket_id is not None:
        state.last_ticket_id = last_ticket_id
    state.turns += 1
    state.updated_at = utc_now()
