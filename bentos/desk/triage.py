"""From the agent's triage answers to store drafts: what is stored about each ticket, and which model version."""

from typing import TYPE_CHECKING, Protocol

from store.schema import Channel
from store.tickets import TicketDraft

if TYPE_CHECKING:
    from router.pipeline import Answer, BatchResult, PreparedTicket


class Agent(Protocol):
    """What the desk needs of the agent service (bentos.agent_service.TicketAgent)."""

    async def triage(self, texts: list[str]) -> "BatchResult": ...

    async def scrub(self, texts: list[str]) -> list["PreparedTicket"]: ...


def to_draft(
    answer: "Answer", versions: dict[str, str], external_id: str | None, channel: Channel, chat_session_id: str | None
) -> TicketDraft:
    """The scrubbed text, the decision and the priority (if rated) of one answer, ready to store."""
    decision, rated = answer.decision, answer.priority
    return TicketDraft(
        text=answer.ticket.text,
        language=answer.ticket.language,
        pii=dict(answer.ticket.pii),
        category=decision.category,
        confidence=decision.confidence,
        scores=dict(decision.scores),
        model=decision.model,
        model_version=versions[decision.model],
        explanation=answer.explanation,
        needs_review=decision.needs_review,
        priority=rated.level if rated else None,
        priority_confidence=rated.confidence if rated else None,
        external_id=external_id,
        channel=channel,
        chat_session_id=chat_session_id,
    )
