"""The chat on the served desk: open (then describe), show, list, change status, close, delete, help, in
English and French; messages scrubbed; session state in the store."""

import re
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from core.params import load_params
from devkit.project import REPO
from models.intents import IntentPredictor
from tests.desk.conftest import Desk


def say(desk: Desk, session: str, message: str) -> dict:
    response = desk.http.post("/chat", json={"session_id": session, "message": message})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_conversation_opens_shows_lists_changes_and_deletes_a_ticket(desk: Desk) -> None:
    session = f"t-{uuid.uuid4().hex[:8]}"
    assert say(desk, session, "I want to open a ticket")["awaiting"] == "description"
    opened = say(desk, session, "My laptop screen is broken, call me at +44 20 7946 0958 (John Smith)")
    ticket = opened["ticket"]
    assert opened["intent"] == "describe" and f"Ticket {ticket['id']} opened" in opened["reply"]
    assert "7946" not in ticket["text"] and ticket["channel"] == "chat" and ticket["pii"]["PHONE_NUMBER"] == 1
    assert say(desk, session, f"show ticket {ticket['id']}")["ticket"]["id"] == ticket["id"]
    assert [t["id"] for t in say(desk, session, "list my open tickets")["tickets"]] == [ticket["id"]]
    resolved = say(desk, session, "set it to resolved")  # "it": the session's last ticket
    assert resolved["intent"] == "set_status" and resolved["ticket"]["status"] == "resolved"
    assert say(desk, session, "list my open tickets")["tickets"] == []
    assert "deleted" in say(desk, session, f"delete ticket {ticket['id']}")["reply"]
    assert desk.http.get(f"/tickets/{ticket['id']}").status_code == 404


def test_french_messages_get_french_replies_and_close_works(desk: Desk) -> None:
    session = f"fr-{uuid.uuid4().hex[:8]}"
    assert "Décrivez" in say(desk, session, "je voudrais ouvrir un nouveau ticket s'il vous plaît")["reply"]
    ticket = say(desk, session, "Mon imprimante ne fonctionne plus depuis ce matin, merci de m'aider")["ticket"]
    closed = say(desk, session, f"merci de fermer le ticket numéro {ticket['id']}")
    assert closed["intent"] == "close" and closed["ticket"]["status"] == "closed" and "fermé" in closed["reply"]


def test_a_description_that_reads_like_a_refusal_opens_the_ticket_and_a_refusal_cancels(
    desk: Desk, intents_in_project: Path
) -> None:
    """Awaiting a description, the classifier's `cancel` withdraws it only for a short message: a long one
    that starts like a refusal is the user's problem, and must not be thrown away."""
    description = "forget it, the printer works again but now the scanner does not start at all since this morning"
    chat = load_params(str(intents_in_project.parent.parent / "params.yaml"))["desk"]["chat"]
    assert IntentPredictor(intents_in_project, chat["min_intent_confidence"]).predict(description)[0] == "cancel"
    session = f"ref-{uuid.uuid4().hex[:8]}"
    say(desk, session, "open a ticket")
    opened = say(desk, session, description)
    assert opened["intent"] == "describe" and "scanner" in opened["ticket"]["text"]
    say(desk, session, "open a ticket")
    withdrawn = say(desk, session, "forget it")
    assert "cancelled" in withdrawn["reply"].lower() and withdrawn["awaiting"] is None


def test_anything_else_gets_i_did_not_understand_with_examples(desk: Desk) -> None:
    reply = say(desk, "lost-1", "what's the weather like in Lisbon today")
    assert reply["intent"] == "other"
    assert "I did not understand" in reply["reply"] and "show ticket 12" in reply["reply"]
    assert say(desk, "lost-1", "help")["intent"] == "help"
    assert "Which ticket" in say(desk, "nothing-yet", "show ticket")["reply"]


def test_the_session_state_lives_in_the_store_and_holds_no_raw_text(desk: Desk) -> None:
    session = f"st-{uuid.uuid4().hex[:8]}"
    say(desk, session, "open a ticket please")
    engine = create_engine(desk.database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT awaiting, turns, language FROM chat_sessions WHERE id = :id"), {"id": session}
        ).one()
    engine.dispose()
    assert tuple(row) == ("description", 1, "en")
    assert "cancelled" in say(desk, session, "cancel")["reply"].lower()


def test_the_console_client_talks_to_the_served_chat(desk: Desk) -> None:
    lines = "open a ticket\nthe VPN drops every ten minutes since this morning\nlist my open tickets\n"
    result = subprocess.run(
        [sys.executable, "-m", "bentos.desk.console", "chat", "--url", desk.url, "--session", "console-test"],
        input=lines, capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("desk> ")]
    assert len(replies) == 3 and "Describe the problem" in replies[0]
    assert re.search(r"Ticket \d+ opened", replies[1]) and "Your open tickets" in replies[2]
