"""PII scrubbing: every entity type in English, French and Arabic, typed placeholders, counts only."""

import pytest

from devkit.pii_cases import pii_cases
from router.scrub import PiiScrubber

CASES = pii_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.language}-{c.entity_type}-{c.value}" for c in CASES])
def test_planted_pii_is_replaced_by_its_typed_placeholder(scrubber: PiiScrubber, case) -> None:
    result = scrubber.scrub(case.text, case.language)
    assert case.value not in result.text
    assert f"<{case.entity_type}>" in result.text
    assert result.entities.get(case.entity_type, 0) >= 1


def test_counts_every_entity_of_a_ticket_and_keeps_the_rest_of_the_text(scrubber: PiiScrubber) -> None:
    text = (
        "Hi, I am John Smith, mail john.smith@acme.com or jsmith@acme.org, phone +1 (415) 555-0132. "
        "The VPN gateway 10.0.0.1 drops my session."
    )
    result = scrubber.scrub(text, "en")
    assert result.entities == {"EMAIL_ADDRESS": 2, "IP_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1}
    assert "drops my session" in result.text
    assert result.text.count("<EMAIL_ADDRESS>") == 2


def test_a_ticket_without_pii_comes_back_unchanged(scrubber: PiiScrubber) -> None:
    text = "my laptop screen is broken since monday, please help"
    result = scrubber.scrub(text, "en")
    assert result.text == text
    assert result.entities == {}


def test_plain_urls_are_kept_but_credentials_in_urls_are_removed(scrubber: PiiScrubber) -> None:
    result = scrubber.scrub("see https://wiki.acme.com/vpn and ftp://bob:Secr3t@files.acme.com/x", "en")
    assert "https://wiki.acme.com/vpn" in result.text
    assert "Secr3t" not in result.text and "bob" not in result.text
    assert result.entities == {"URL_WITH_CREDENTIALS": 1}


def test_languages_without_ner_still_get_pattern_scrubbing(scrubber: PiiScrubber) -> None:
    result = scrubber.scrub("Mein Drucker geht nicht, Rückruf bitte unter +49 30 12345678 oder hans@firma.de", "de")
    assert result.entities == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}


def test_unknown_language_falls_back_to_the_first_configured_one(scrubber: PiiScrubber) -> None:
    result = scrubber.scrub("write to a.b@example.com", "xx")
    assert result.entities == {"EMAIL_ADDRESS": 1}
