"""The review page in a real headless Chromium: tickets created through the API, one corrected in one
click, the store and the feedback event checked, keyboard use, laptop and phone screenshots kept.

Screenshots: the test's tmp dir and test-artifacts/desk.png, test-artifacts/desk-phone.png (git-ignored).
"""

import shutil
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import create_engine, text

from devkit.browser import chromium
from devkit.project import REPO
from tests.desk.conftest import TICKETS, Desk

ARTIFACTS = REPO / "test-artifacts"
LAPTOP, PHONE = (1280, 900), (390, 844)
PAGE_LOAD_S = 15  # the form post redirects back to the page: wait for it on a busy machine


def keep(screenshot: Path, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy2(screenshot, ARTIFACTS / name)


def notice_after_review(browser: WebDriver) -> str:
    """The notice of the page the review redirected to, once it has loaded: "ok: ..." or "conflict: ..."."""
    located = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".notice"))
    notice = WebDriverWait(browser, PAGE_LOAD_S).until(located)
    kind = "ok" if "ok" in notice.get_attribute("class").split() else "not ok"
    return f"{kind}: {notice.text}"


def card_ids(cards: list) -> list[int]:
    """Ticket ids of the page's cards (`<article id="ticket-N">`)."""
    return [int(card.get_attribute("id").removeprefix("ticket-")) for card in cards]


def database_row(desk: Desk, query: str, **values: object) -> tuple:
    engine = create_engine(desk.database_url)
    with engine.connect() as connection:
        row = connection.execute(text(query), values).one()
    engine.dispose()
    return tuple(row)


def test_a_reviewer_corrects_a_ticket_in_one_click(desk: Desk, tmp_path: Path) -> None:
    tickets = [desk.create(TICKETS[name], channel="email") for name in ("hardware", "access", "french")]
    target = tickets[1]
    other = next(name for name in sorted(target["scores"]) if name != target["category"])
    with chromium(*LAPTOP) as browser:
        browser.get(f"{desk.url}/desk?reviewer=alice")
        card = browser.find_element(By.ID, f"ticket-{target['id']}")
        assert target["text"] in card.text and target["category"] in card.text and "%" in card.text
        assert "John Smith" not in browser.page_source and "john.smith@" not in browser.page_source
        card.find_element(By.CSS_SELECTOR, f"button.correct[value='{other}']").click()
        assert notice_after_review(browser) == f"ok: Ticket {target['id']} reviewed."
        assert not browser.find_elements(By.ID, f"ticket-{target['id']}")  # left the queue
        browser.save_screenshot(str(tmp_path / "desk.png"))
    keep(tmp_path / "desk.png", "desk.png")
    stored = database_row(desk, "SELECT corrected_category, corrected_by, version FROM tickets WHERE id = :id",
                          id=target["id"])  # fmt: skip
    assert stored == (other, "alice", 2)
    event = database_row(
        desk, "SELECT predicted, corrected, model_version FROM feedback_events WHERE ticket_id = :id", id=target["id"]
    )
    assert event == (target["category"], other, target["model_version"])


def test_the_page_works_by_keyboard_at_phone_width_and_filters(desk: Desk, tmp_path: Path) -> None:
    french = desk.create(TICKETS["french"])
    with chromium(*PHONE) as browser:
        browser.get(f"{desk.url}/desk?language=fr")
        cards = browser.find_elements(By.CSS_SELECTOR, "article")
        languages = {card.find_element(By.CSS_SELECTOR, ".chip[title=language]").text for card in cards}
        assert french["id"] in card_ids(cards) and languages == {"fr"}
        # No priority model served: no priority filter, no priority chips.
        assert not browser.find_elements(By.NAME, "priority") and not browser.find_elements(
            By.CSS_SELECTOR, ".priority"
        )
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")  # nothing wider than the screen
        browser.save_screenshot(str(tmp_path / "desk-phone.png"))
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        for _ in range(30):  # Tab through the skip link and the filters to the first Confirm button
            browser.switch_to.active_element.send_keys(Keys.TAB)
            if "confirm" in (browser.switch_to.active_element.get_attribute("class") or ""):
                break
        focused = browser.switch_to.active_element
        assert "confirm" in focused.get_attribute("class")
        (confirmed_id,) = card_ids([focused.find_element(By.XPATH, "./ancestor::article")])
        focused.send_keys(Keys.ENTER)
        assert notice_after_review(browser) == f"ok: Ticket {confirmed_id} reviewed."
    keep(tmp_path / "desk-phone.png", "desk-phone.png")
    confirmed = desk.http.get(f"/tickets/{confirmed_id}").json()
    assert confirmed["language"] == "fr" and confirmed["correction"]["category"] == confirmed["category"]
