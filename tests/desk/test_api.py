"""The desk's REST API on a real `bentoml serve`: same port as /classify, scrubbed text stored, idempotent
creates, filters and cursors, optimistic concurrency, soft delete, and bad input refused naming the field."""

import json
import re

import pytest
from sqlalchemy import create_engine, text

from tests.desk.conftest import TICKETS, Desk


def stored_text(desk: Desk, ticket_id: int) -> str:
    engine = create_engine(desk.database_url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT text FROM tickets WHERE id = :id"), {"id": ticket_id}).scalar()
    engine.dispose()
    return found


def test_post_tickets_triages_with_the_agent_and_stores_only_scrubbed_text(desk: Desk) -> None:
    created = desk.http.post("/tickets", json={"text": TICKETS["hardware"], "channel": "email"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert "john.smith@example.com" not in ticket["text"] and "John Smith" not in ticket["text"]
    assert ticket["pii"] == {"EMAIL_ADDRESS": 1, "PERSON": 1} and ticket["language"] == "en"
    assert ticket["category"] in ticket["scores"] and ticket["needs_review"] is True  # review_threshold 0.99
    assert re.match(r"^ticket-(tfidf|transformer):v\d+-", ticket["model_version"])
    assert (ticket["status"], ticket["version"], ticket["channel"], ticket["correction"]) == ("new", 1, "email", None)
    classify = desk.http.post("/classify", json={"text": TICKETS["hardware"]}).json()
    assert classify["category"] == ticket["category"]  # the same pipeline, on the same port
    assert stored_text(desk, ticket["id"]) == ticket["text"]
    assert "John Smith" not in desk.log.read_text() and "john.smith@" not in desk.log.read_text()


def test_a_retried_create_with_the_same_external_id_returns_the_same_ticket(desk: Desk) -> None:
    first = desk.http.post("/tickets", json={"text": TICKETS["access"], "external_id": "ZD-1042"})
    again = desk.http.post("/tickets", json={"text": "another text", "external_id": "ZD-1042"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    listed = desk.http.get("/tickets", params={"limit": 200}).json()["items"]
    assert [t["id"] for t in listed].count(first.json()["id"]) == 1


def test_a_deleted_tickets_external_id_stays_taken_and_the_ticket_gone(desk: Desk) -> None:
    ticket = desk.create(TICKETS["access"], external_id="ZD-2001")
    assert desk.http.delete(f"/tickets/{ticket['id']}", params={"version": 1}).status_code == 204
    again = desk.http.post("/tickets", json={"text": TICKETS["access"], "external_id": "ZD-2001"})
    assert again.status_code == 409
    assert "ZD-2001" in again.json()["error"] and "deleted" in again.json()["error"]
    assert desk.http.get(f"/tickets/{ticket['id']}").status_code == 404


def test_get_patch_delete_with_versions_and_feedback_events(desk: Desk) -> None:
    ticket = desk.create(TICKETS["hardware"])
    url = f"/tickets/{ticket['id']}"
    assert desk.http.get(url).json() == ticket
    other = next(name for name in ticket["scores"] if name != ticket["category"])
    corrected = desk.http.patch(url, json={"version": 1, "category": other, "corrected_by": "alice", "status": "open"})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["correction"]["category"] == other and corrected.json()["version"] == 2
    stale = desk.http.patch(url, json={"version": 1, "status": "closed"})
    assert stale.status_code == 409 and "version 1" in stale.json()["error"]
    assert desk.http.get(url).json()["status"] == "open"
    events = desk.http.get("/feedback", params={"limit": 200}).json()["items"]
    assert {"ticket_id": ticket["id"], "predicted": ticket["category"], "corrected": other} in [
        {key: event[key] for key in ("ticket_id", "predicted", "corrected")} for event in events
    ]
    assert desk.http.delete(url, params={"version": 1}).status_code == 409
    assert desk.http.delete(url, params={"version": 2}).status_code == 204
    assert desk.http.get(url).status_code == 404
    after = desk.http.get("/feedback", params={"limit": 200}).json()["items"]
    assert any(event["ticket_id"] == ticket["id"] for event in after)  # still counted after the delete


def test_filters_and_cursor_pages(desk: Desk) -> None:
    french = desk.create(TICKETS["french"])
    assert french["language"] == "fr"
    listed = desk.http.get("/tickets", params={"language": "fr", "limit": 200}).json()["items"]
    assert french["id"] in [t["id"] for t in listed] and {t["language"] for t in listed} == {"fr"}
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "order": "oldest", **({"cursor": cursor} if cursor else {})}
        page = desk.http.get("/tickets", params=params)
        seen += [t["id"] for t in page.json()["items"]]
        if not (cursor := page.json()["next_cursor"]):
            break
    everything = desk.http.get("/tickets", params={"limit": 200}).json()["items"]
    assert seen == sorted(t["id"] for t in everything)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("get", "/tickets/999999", None, 404, None),
        ("post", "/tickets", {"text": ""}, 422, "text"),
        ("post", "/tickets", {"text": "x" * 20001}, 422, "text"),
        ("post", "/tickets", {"txt": "printer"}, 422, "text"),
        ("post", "/tickets", {"text": "printer", "channel": "fax"}, 422, "channel"),
        ("post", "/tickets", {"text": "printer", "external_id": "john@example.com"}, 422, "external_id"),
        ("patch", "/tickets/1", {"status": "open"}, 422, "version"),
        ("patch", "/tickets/1", {"version": 1, "status": "done"}, 422, "status"),
        ("get", "/tickets?status=pending", None, 422, "status"),
        ("get", "/tickets?language=xx", None, 422, "language"),
        ("get", "/tickets?priority=urgent", None, 422, "priority"),  # not one of params' priority.levels
        ("get", "/desk?priority=critical", None, 422, "priority"),
        ("get", "/tickets?statsu=open", None, 422, "statsu"),  # a misspelt filter is not ignored
        ("get", "/tickets?needs_review=maybe", None, 422, "needs_review"),
        ("get", "/tickets?created_from=yesterday", None, 422, "created_from"),
        ("get", "/tickets?cursor=bm90LW91cnM", None, 422, "cursor"),
        ("get", "/tickets?limit=100000", None, 422, "limit"),
        ("post", "/chat", {"session_id": "a b", "message": "help"}, 422, "session_id"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field(
    desk: Desk, method: str, path: str, body: dict | None, status: int, field: str | None
) -> None:
    desk.create(TICKETS["access"])  # so ticket 1 and the model's categories exist
    response = desk.http.request(method, path, json=body)
    assert response.status_code == status
    assert response.json()["error"]
    if field:
        assert field in response.json()["fields"], response.json()


def test_a_category_outside_the_models_is_refused_and_nothing_changes(desk: Desk) -> None:
    ticket = desk.create(TICKETS["access"])
    change = {"version": 1, "category": "Plumbing", "status": "open"}
    response = desk.http.patch(f"/tickets/{ticket['id']}", json=change)
    assert response.status_code == 422 and response.json()["fields"] == ["category"]
    assert desk.http.get(f"/tickets/{ticket['id']}").json()["version"] == 1


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_gets_413_however_it_is_sent(desk: Desk, chunked: bool) -> None:
    body = json.dumps({"text": "a" * 300_000}).encode()
    content = iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    response = desk.http.post("/tickets", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "at most 262144 bytes" in response.json()["error"]


def test_the_openapi_document_covers_every_desk_route(desk: Desk) -> None:
    paths = desk.http.get("/docs.json").json()["paths"]
    expected = {
        "/tickets": {"get", "post"},
        "/tickets/{ticket_id}": {"get", "patch", "delete"},
        "/feedback": {"get"},
        "/desk": {"get"},
        "/desk/tickets/{ticket_id}/review": {"post"},
        "/chat": {"post"},
        "/classify": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert "TicketOut" in json.dumps(paths["/tickets"]["post"])


def test_a_category_no_ticket_has_matches_nothing(desk: Desk) -> None:
    desk.create(TICKETS["access"])
    response = desk.http.get("/tickets", params={"category": "Plumbing"})
    assert response.status_code == 200 and response.json() == {"items": [], "next_cursor": None}


def test_without_a_priority_model_tickets_are_unrated_and_a_priority_filter_matches_nothing(desk: Desk) -> None:
    ticket = desk.create(TICKETS["access"])
    assert (ticket["priority"], ticket["priority_confidence"]) == (None, None)
    response = desk.http.get("/tickets", params={"priority": "high"})
    assert response.status_code == 200 and response.json() == {"items": [], "next_cursor": None}
    document = desk.http.get("/docs.json").json()["paths"]["/tickets"]["get"]["parameters"]
    (priority,) = [parameter for parameter in document if parameter["name"] == "priority"]
    assert priority["schema"]["anyOf"][0]["enum"] == ["low", "medium", "high"]  # what a client may send


def test_a_method_the_path_does_not_take_lists_every_one_it_does(desk: Desk) -> None:
    response = desk.http.request("OPTIONS", "/tickets/1")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "PATCH", "DELETE"}
    assert response.json()["error"]
