"""Drift of a window of served tickets against the validation baseline."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from router.drift import Baseline, DriftWindow, TicketSignal, shares, total_variation

PARAMS = {
    "window": 50,
    "min_tickets": 20,
    "min_known_terms": 3,
    "max_language_distance": 0.2,
    "max_category_distance": 0.2,
    "max_confidence_drop": 0.1,
    "max_review_rise": 0.15,
    "max_oov_rise": 0.15,
}
SMALL_WINDOW = {**PARAMS, "window": 7}  # tickets fall out after a few
BASELINE = Baseline(
    languages={"en": 0.9, "fr": 0.1},
    categories={"Hardware": 0.5, "Access": 0.5},
    mean_confidence=0.8,
    review_share=0.1,
    oov_share=0.05,
)


def signal(language="en", category="Hardware", confidence=0.8, needs_review=False, known_terms=10) -> TicketSignal:
    return TicketSignal(language, category, confidence, needs_review, known_terms)


def like_baseline(n: int) -> list[TicketSignal]:
    return [
        signal(language="fr" if i % 10 == 0 else "en", category="Hardware" if i % 2 else "Access") for i in range(n)
    ]


def test_tickets_like_the_baseline_raise_nothing() -> None:
    window = DriftWindow(BASELINE, PARAMS)
    window.add(like_baseline(40))
    report = window.report()
    assert report.reasons == () and report.language_distance == pytest.approx(0.0)
    assert report.category_distance == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"language": "de"}, "language_mix"),
        ({"category": "Storage"}, "category_mix"),
        ({"confidence": 0.5}, "confidence_drop"),
        ({"needs_review": True}, "review_rise"),
        ({"known_terms": 1}, "oov_rise"),
    ],
)
def test_each_kind_of_drift_is_named(change: dict, reason: str) -> None:
    window = DriftWindow(BASELINE, PARAMS)
    window.add(like_baseline(25) + [replace(ticket, **change) for ticket in like_baseline(25)])
    assert window.report().reasons == (reason,)


def test_no_verdict_on_too_few_tickets_and_old_tickets_leave_the_window() -> None:
    window = DriftWindow(BASELINE, PARAMS)
    window.add([signal(confidence=0.2) for _ in range(10)])
    assert window.report().reasons == ()  # 10 < min_tickets
    window.add(like_baseline(50))  # the window holds 50: the low-confidence ones are gone
    assert window.report().tickets == 50 and window.report().reasons == ()


def test_total_variation_is_half_the_l1_distance_over_all_keys() -> None:
    assert total_variation({"a": 1.0}, {"b": 1.0}) == 1.0
    assert total_variation({"a": 0.5, "b": 0.5}, {"a": 0.7, "b": 0.3}) == pytest.approx(0.2)


@given(
    st.lists(
        st.lists(
            st.builds(
                TicketSignal,
                st.sampled_from(["en", "fr", "ar"]),
                st.sampled_from(["Hardware", "Access", "Purchase"]),
                st.floats(0, 1),
                st.booleans(),
                st.none() | st.integers(0, 6),
            ),
            max_size=30,
        ),
        max_size=8,
    )
)
def test_the_running_counts_report_what_the_last_tickets_say(batches: list[list[TicketSignal]]) -> None:
    """Tickets come in and fall out of the window by batches: the report is computed from the last `window`."""
    window = DriftWindow(BASELINE, SMALL_WINDOW)
    for batch in batches:
        window.add(batch)
    last = [signal for batch in batches for signal in batch][-SMALL_WINDOW["window"] :]
    report = window.report()
    scored = [s.known_terms for s in last if s.known_terms is not None]
    assert report.tickets == len(last)
    assert report.language_distance == pytest.approx(
        total_variation(shares([s.language for s in last]), BASELINE.languages)
    )
    assert report.category_distance == pytest.approx(
        total_variation(shares([s.category for s in last]), BASELINE.categories)
    )
    if last:
        assert report.mean_confidence == pytest.approx(sum(s.confidence for s in last) / len(last), abs=1e-9)
        assert report.review_share == pytest.approx(sum(s.needs_review for s in last) / len(last))
    assert report.oov_share == pytest.approx(
        sum(k < PARAMS["min_known_terms"] for k in scored) / len(scored) if scored else 0.0
    )
