"""The desk on an agent that serves a priority model: each ticket stores the priority and its confidence
(none when the priority model hung), `GET /tickets?priority=` and the review page filter by it, the page
shows it as a chip (the urgent level set apart by weight and shape, not colour alone), and the agent's
priority metric counts the desk's tickets. The session's priority models are tiny ones: the levels are
not meant to be right, only to be the agent's. Screenshot: test-artifacts/desk-priority-phone.png."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from bentos.desk.schemas import PRIORITY_LEVELS
from devkit.browser import chromium
from devkit.servers import frozen, worker_pid
from devkit.stores import fresh_database_url
from tests.desk.conftest import Desk, served_desk
from tests.desk.test_page import PAGE_LOAD_S, PHONE, card_ids, keep, notice_after_review

pytestmark = pytest.mark.slow
MIN_TICKETS, MAX_TICKETS = 6, 20  # created until one is rated urgent (most are, with a tiny model)


@dataclass
class Created:
    """Tickets created through the API: by the level the agent rated them, and one it could not rate."""

    rated: dict[str, list[dict]]
    unrated: dict

    def ids(self, level: str) -> list[int]:
        return sorted(ticket["id"] for ticket in self.rated.get(level, []))


@pytest.fixture(scope="module")
def priority_desk(priority_project: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """The agent served from the priority project (three model services and the desk) on its own SQLite file."""
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("priority-desk"))
    env = {"HF_HUB_OFFLINE": "1"}
    with served_desk(priority_project["project"], url, "priority-desk", env, timeout=240) as served:
        yield served


def ticket_texts(data: Path) -> list[str]:
    tickets = pd.read_csv(data).sample(MAX_TICKETS, random_state=1)
    return [
        f"{subject}\n\n{body}" for subject, body in zip(tickets["subject"].fillna(""), tickets["body"], strict=True)
    ]


@pytest.fixture(scope="module")
def created(priority_desk: Desk, priority_project: dict) -> Created:
    urgent, rated = priority_project["served"]["rule"]["urgent"], {}
    texts = ticket_texts(priority_project["data"])
    for count, text in enumerate(texts, start=1):
        ticket = priority_desk.create(text)
        rated.setdefault(ticket["priority"], []).append(ticket)
        if urgent in rated and count >= MIN_TICKETS:
            break
    assert urgent in rated, f"none of {MAX_TICKETS} tickets rated {urgent}: {list(rated)}"
    with frozen([worker_pid(priority_desk.pid, "priority_classifier")]):  # hangs past router.priority_timeout_s
        unrated = priority_desk.create(texts[0])
    return Created(rated, unrated)


def test_each_ticket_stores_the_agents_priority_and_the_api_filters_by_it(
    priority_desk: Desk, created: Created
) -> None:
    unrated = created.unrated
    assert (unrated["priority"], unrated["priority_confidence"]) == (None, None) and unrated["category"]
    assert unrated["explanation"].endswith("Priority unavailable: the priority model timed out.")
    for level in PRIORITY_LEVELS:  # the unrated ticket is never listed
        listed = priority_desk.http.get("/tickets", params={"priority": level, "limit": 200}).json()["items"]
        assert sorted(t["id"] for t in listed) == created.ids(level), level
    for level, tickets in created.rated.items():
        for ticket in tickets:
            stored = priority_desk.http.get(f"/tickets/{ticket['id']}").json()
            assert (stored["priority"], stored["priority_confidence"]) == (level, ticket["priority_confidence"])
            assert 0 < stored["priority_confidence"] <= 1
            assert f"Priority {level} ({stored['priority_confidence']:.2f})" in stored["explanation"]
    metrics = priority_desk.http.get("/metrics").text.splitlines()
    counted = {
        line.split('"')[1]: float(line.split()[-1]) for line in metrics if line.startswith("callcenter_priority_total{")
    }
    # A fresh server: what it counted are the desk's tickets.
    assert counted == {**{level: len(tickets) for level, tickets in created.rated.items()}, "unrated": 1}


def test_the_review_page_shows_priority_chips_and_filters_by_priority_at_phone_width(
    priority_desk: Desk, created: Created, priority_project: dict, tmp_path: Path
) -> None:
    urgent = priority_project["served"]["rule"]["urgent"]
    with chromium(*PHONE) as browser:
        browser.get(f"{priority_desk.url}/desk")  # the filter form then sends an empty reviewer and status
        unrated_card = browser.find_element(By.ID, f"ticket-{created.unrated['id']}")
        assert not unrated_card.find_elements(By.CSS_SELECTOR, ".chip[title=priority]")
        for level, tickets in created.rated.items():
            for ticket in tickets:
                card = browser.find_element(By.ID, f"ticket-{ticket['id']}")
                chip = card.find_element(By.CSS_SELECTOR, ".chip[title=priority]")
                assert chip.text.endswith(f"{level} priority ({round(ticket['priority_confidence'] * 100)}%)")
                assert ("urgent" in chip.get_attribute("class").split()) == (level == urgent)
        card = browser.find_element(By.ID, f"ticket-{created.rated[urgent][0]['id']}")
        chip, plain = (card.find_element(By.CSS_SELECTOR, f".chip[title={kind}]") for kind in ("priority", "language"))
        assert chip.value_of_css_property("background-color") != plain.value_of_css_property("background-color")
        assert int(chip.value_of_css_property("font-weight")) > int(plain.value_of_css_property("font-weight"))
        Select(browser.find_element(By.NAME, "priority")).select_by_value(urgent)
        browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        filtered = (
            By.CSS_SELECTOR,
            f"select[name=priority] option[value={urgent}][selected]",
        )  # as the server wrote it
        WebDriverWait(browser, PAGE_LOAD_S).until(expected_conditions.presence_of_element_located(filtered))
        assert f"priority={urgent}" in browser.current_url
        cards = browser.find_elements(By.CSS_SELECTOR, "article")
        assert sorted(card_ids(cards)) == created.ids(urgent)  # neither the unrated ticket nor other levels
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")  # nothing wider than the phone
        browser.save_screenshot(str(tmp_path / "desk-priority-phone.png"))
        cards[0].find_element(By.CSS_SELECTOR, "button.confirm").click()
        assert notice_after_review(browser).startswith("ok: ")
        assert f"priority={urgent}" in browser.current_url  # the review kept the filter
        assert Select(browser.find_element(By.NAME, "priority")).first_selected_option.text == urgent
    keep(tmp_path / "desk-priority-phone.png", "desk-priority-phone.png")
