"""Retraining recommended: corrections past `loop.retrain_after_corrections` (3 here) and drift of served
tickets (every answer flagged for review here) show on the review page, on /metrics and once in the log."""

import re

import pytest

from tests.desk.conftest import DESK_PARAMS, TICKETS, Desk

pytestmark = pytest.mark.slow
# Runs before test_postgres_outage: a second `bentoml serve` in the session's BENTOML_HOME empties the shared
# prometheus_multiproc_dir at start, after which this package's desk no longer shows its own gauges on /metrics.

LIMIT = DESK_PARAMS["loop.retrain_after_corrections"]


def banner_reasons(desk: Desk) -> dict[str, str]:
    """The review page's retraining banner: reason -> its line (empty without a banner)."""
    page = desk.http.get("/desk")
    assert page.status_code == 200
    return dict(re.findall(r'<li data-reason="([a-z_]+)">([^<]*)</li>', page.text))


def metric(desk: Desk, series: str) -> float:
    for line in desk.http.get("/metrics").text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    raise LookupError(series)


def correct(desk: Desk, text: str) -> None:
    """Store a ticket and correct it to a category the model did not answer."""
    ticket = desk.create(text)
    other = next(name for name in sorted(ticket["scores"]) if name != ticket["category"])
    review = {"version": ticket["version"], "category": other, "corrected_by": "banner-test"}
    assert desk.http.patch(f"/tickets/{ticket['id']}", json=review).status_code == 200


def test_corrections_past_the_threshold_and_drift_raise_the_banner_the_metric_and_one_log_line(desk: Desk) -> None:
    banner_reasons(desk)  # the page view counts the corrections other tests made
    made = int(metric(desk, "callcenter_corrections_since_release"))
    if made < LIMIT:
        assert "corrections" not in banner_reasons(desk)
        assert metric(desk, 'callcenter_retrain_recommended{reason="corrections"}') == 0.0
    for index in range(max(LIMIT - made, DESK_PARAMS["drift.min_tickets"])):  # enough tickets for a drift verdict
        correct(desk, f"{TICKETS['access']} (banner test {index})")
    reasons = banner_reasons(desk)
    count = int(metric(desk, "callcenter_corrections_since_release"))
    assert count >= LIMIT and reasons["corrections"] == f"{count} corrections of answers from the served model versions"
    assert metric(desk, 'callcenter_retrain_recommended{reason="corrections"}') == 1.0
    # review_threshold 0.99 flags every answer: the served review share is 100%, far above training's.
    assert metric(desk, "callcenter_drift_window_tickets") >= DESK_PARAMS["drift.min_tickets"]
    assert metric(desk, 'callcenter_drift_review_share{window="served"}') == 1.0
    assert reasons["review_rise"].startswith("100% of tickets need review against ")
    assert metric(desk, 'callcenter_retrain_recommended{reason="review_rise"}') == 1.0
    log = desk.log.read_text(encoding="utf-8", errors="replace")
    assert log.count("retraining recommended (review_rise)") == 1  # when it turned on, not at every ticket
    assert log.count("retraining recommended (corrections)") >= 1  # (deleting corrected tickets turns it off)
