"""The desk's REST API on a real `bentoml serve`: same port as /classify, scrubbed text stored, bad input refused."""

import re

from sqlalchemy import create_engine, text

from tests.desk.conftest import TICKETS, Desk


def test_post_tickets_triages_with_the_agent_and_stores_only_scrubbed_text(desk: Desk) -> None:
    created = desk.http.post("/tickets", json={"text": TICKETS["hardware"], "channel": "email"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert "john.smith@example.com" not in ticket["text"] and "John Smith" not in ticket["text"]
    assert ticket["pii"]["EMAIL_ADDRESS"] == 1 and ticket["language"] == "en"
    assert ticket["category"] in ticket["scores"] and ticket["model"] in {"tfidf", "transformer", "ensemble"}
    assert re.match(r"^ticket-(tfidf|transformer):v\\d+-", ticket["model_version"])
    assert (ticket["status"], ticket["version"], ticket["channel"]) == ("new", 1, "email")
    classify = desk.http.post("/classify", json={"text": TICKETS["hardware"]}).json()
    assert classify["category"] == ticket["category"]  # the same pipeline, on the same port
    engine = create_engine(desk.database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT text FROM tickets WHERE id = :id"), {"id": ticket["id"]}).scalar()
    engine.dispose()
    assert stored == ticket["text"] and "example.com" not in stored
