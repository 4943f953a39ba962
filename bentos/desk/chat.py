"""`POST /chat`: the CRUD chatbot. Intent by the trained classifier, ticket ids and statuses by pattern.

Every message is scrubbed by the agent first: the classifier, the store and the logs see the
scrubbed text only. A request's writes (the ticket and the session's state) are one transaction.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bentos.desk.deps import current_agent, current_desk, refuse_unknown_query
from bentos.desk.desk import Desk, to_out
from bentos.desk.metrics import REVIEW_QUEUE, TICKETS_CREATED
from bentos.desk.replies import LANGUAGES, STATUS_NAMES, say, status_in, ticket_id_in
from bentos.desk.schemas import ChatIn, ChatOut, TicketOut, documented_errors
from bentos.desk.triage import Agent, to_draft
from core.errors import ConfigError
from core.params import resolve_path
from models.intents import WORD, IntentPredictor
from store.chat import end_turn, open_chat_session
from store.errors import StoreUnavailable, TicketNotFound
from store.schema import Channel, TicketStatus
from store.tickets import (
    TicketChange,
    TicketFilter,
    count_tickets,
    create_ticket,
    delete_ticket,
    get_ticket,
    list_tickets,
    review_queue,
    update_ticket,
)

logger = logging.getLogger("bentos.desk")
AWAITING_DESCRIPTION = "description"
MODEL_HINT = "desk.chat.intent_model in params.yaml"
NEEDS_TICKET = {"show", "set_status", "close", "delete"}
router = APIRouter(
    tags=["chat"],
    responses=documented_errors(400, 413, 422, 503),
    dependencies=[Depends(refuse_unknown_query)],
)


class ChatUnavailable(StoreUnavailable):
    """The chat cannot answer (503), the rest of the desk can."""


@dataclass
class Turn:
    """What one message asks: who, in which language, the intent, and the ticket and status it names."""

    session_id: str
    language: str
    intent: str
    confidence: float
    ticket_id: int | None = None
    status: TicketStatus | None = None


@dataclass
class Outcome:
    """The reply and what it is about; `awaiting` is what the next message will answer."""

    reply: str
    ticket: TicketOut | None = None
    tickets: list[TicketOut] | None = None
    awaiting: str | None = None


class ChatBot:
    """The intent classifier and the actions, over the desk's store."""

    def __init__(self, desk: Desk, chat_params: Mapping[str, Any]) -> None:
        self.desk = desk
        self.params = chat_params
        self.intents = IntentPredictor(
            resolve_path(chat_params["intent_model"]),
            chat_params["min_intent_confidence"],
            chat_params["embedding_threads"],
        )

    def state(self, session_id: str, language: str) -> tuple[str | None, str, int | None]:
        """(what the session waits for, its language, its last ticket) before this message."""
        with self.desk.database.transaction(write=True) as session:
            state = open_chat_session(session, session_id, language)
            return state.awaiting, state.language, state.last_ticket_id

    async def reply(self, message: ChatIn, agent: Agent) -> ChatOut:
        """Scrub, understand, act, remember."""
        (scrubbed,) = await agent.scrub([message.message])
        detected = scrubbed.language if scrubbed.language in LANGUAGES else None
        awaiting, language, last_ticket = await run_in_threadpool(self.state, message.session_id, detected or "en")
        language = detected or language
        intent, confidence = await run_in_threadpool(self.intents.predict, scrubbed.text)  # the embedding: ~20 ms
        turn = Turn(message.session_id, language, intent, confidence)
        if awaiting == AWAITING_DESCRIPTION and not self.is_refusal(intent, scrubbed.text):
            (answer,) = (await agent.triage([message.message])).answers
            draft = to_draft(answer, self.desk.versions, None, Channel.CHAT, message.session_id)
            turn.intent = "describe"
            outcome = await run_in_threadpool(self.act, turn, lambda s: self.open_ticket(s, turn, draft))
        else:
            turn.ticket_id = ticket_id_in(scrubbed.text) or (last_ticket if intent in NEEDS_TICKET else None)
            turn.status = TicketStatus.CLOSED if intent == "close" else status_in(scrubbed.text)
            outcome = await run_in_threadpool(self.act, turn, lambda s: self.answer(s, turn, awaiting))
        return ChatOut(
            session_id=message.session_id,
            reply=outcome.reply,
            intent=turn.intent,
            confidence=round(turn.confidence, 4),
            language=language,
            awaiting=outcome.awaiting,
            ticket=outcome.ticket,
            tickets=outcome.tickets or [],
        )

    def is_refusal(self, intent: str, text: str) -> bool:
        """Whether a message sent instead of a description withdraws it: a refusal is short, and a longer
        message that merely reads like one ("laisse tomber le mot de passe, mon écran reste noir...") is the
        description, never thrown away."""
        return intent == "cancel" and len(WORD.findall(text)) <= self.params["max_refusal_words"]

    def act(self, turn: Turn, action: Any) -> Outcome:
        """Run `action` and record the turn in the session, in one transaction."""
        with self.desk.database.transaction(write=True) as session:
            outcome = action(session)
            state = open_chat_session(session, turn.session_id, turn.language)
            last = outcome.ticket.id if outcome.ticket else None
            end_turn(state, turn.language, outcome.awaiting, last)
            queue = count_tickets(session, review_queue())
        REVIEW_QUEUE.set(queue)
        return outcome

    def open_ticket(self, session: Session, turn: Turn, draft: Any) -> Outcome:
        ticket, _ = create_ticket(session, draft)
        session.flush()
        TICKETS_CREATED.labels(channel=Channel.CHAT).inc()
        review = say(turn.language, "review") if ticket.needs_review else ""
        reply = say(turn.language, "opened", id=ticket.id, category=ticket.category, confidence=ticket.confidence,
                    review=review)  # fmt: skip
        return Outcome(reply, ticket=to_out(ticket))

    def answer(self, session: Session, turn: Turn, awaiting: str | None) -> Outcome:
        """Everything but a ticket description."""
        if turn.intent == "open":
            return Outcome(say(turn.language, "ask_description"), awaiting=AWAITING_DESCRIPTION)
        if turn.intent == "cancel":
            return Outcome(say(turn.language, "cancelled" if awaiting else "nothing_to_cancel"))
        if turn.intent == "list":
            return self.list_open(session, turn)
        if turn.intent in NEEDS_TICKET:
            if turn.ticket_id is None:
                return Outcome(say(turn.language, "which_ticket"))
            try:
                return self.on_ticket(session, turn)
            except TicketNotFound:
                return Outcome(say(turn.language, "not_found", id=turn.ticket_id))
        return Outcome(say(turn.language, "help" if turn.intent == "help" else "not_understood"))

    def list_open(self, session: Session, turn: Turn) -> Outcome:
        where = TicketFilter(chat_session_id=turn.session_id, statuses=(TicketStatus.NEW, TicketStatus.OPEN))
        tickets, _ = list_tickets(session, where, self.params["list_limit"], newest_first=False)
        if not tickets:
            return Outcome(say(turn.language, "list_empty"))
        lines = "\n".join(f"- {self.summary(ticket, turn.language)}" for ticket in tickets)
        return Outcome(say(turn.language, "list", lines=lines), tickets=[to_out(ticket) for ticket in tickets])

    def on_ticket(self, session: Session, turn: Turn) -> Outcome:
        """Show, change the status of, close or delete the ticket the message names."""
        ticket = get_ticket(session, turn.ticket_id)
        if turn.intent == "show":
            return Outcome(self.summary(ticket, turn.language), ticket=to_out(ticket))
        if turn.intent == "delete":
            delete_ticket(session, ticket.id, ticket.version)
            return Outcome(say(turn.language, "deleted", id=ticket.id))
        if turn.status is None:
            return Outcome(say(turn.language, "which_status"), ticket=to_out(ticket))
        ticket = update_ticket(session, ticket.id, ticket.version, TicketChange(status=turn.status))
        status = say_status(turn.language, turn.status)
        return Outcome(say(turn.language, "status_set", id=ticket.id, status=status), ticket=to_out(ticket))

    def summary(self, ticket: Any, language: str) -> str:
        text = ticket.text[: self.params["text_preview_chars"]]
        status = say_status(language, TicketStatus(ticket.status))
        return say(language, "show", id=ticket.id, status=status, category=ticket.final_category,
                   confidence=ticket.confidence, text=text)  # fmt: skip


def say_status(language: str, status: TicketStatus) -> str:
    """A status in the reply's language."""
    return STATUS_NAMES[language if language in STATUS_NAMES else "en"][status]


def open_chat(desk: Desk, chat_params: Mapping[str, Any]) -> ChatBot | None:
    """The chat, or None (and /chat answers 503) when its intent model was not trained: the rest serves on."""
    try:
        return ChatBot(desk, chat_params)
    except ConfigError as error:
        logger.error("chat disabled: %s", error)
        return None


def current_chat(request: Request, _desk: Annotated[Desk, Depends(current_desk)]) -> ChatBot:
    """The chat of this worker (a FastAPI dependency); 503 when it has no intent model or no database."""
    if request.app.state.chat is None:
        raise ChatUnavailable(f"the chat has no intent model: run `dvc repro train_intents` ({MODEL_HINT})")
    return request.app.state.chat


@router.post("/chat", response_model=ChatOut)
async def chat(
    message: ChatIn, bot: Annotated[ChatBot, Depends(current_chat)], agent: Annotated[Agent, Depends(current_agent)]
) -> ChatOut:
    """One message of a conversation: open (then describe), show, list, change status, close, delete, help."""
    return await bot.reply(message, agent)
