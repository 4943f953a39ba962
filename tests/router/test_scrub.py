"""PII scrubbing through the agent's own language detection: every type in six languages, no piece left.

A value counts as scrubbed only when no 4-character piece of it survives (a partial scrub such as
"+33 <PHONE_NUMBER> 78" fails) and a placeholder of its own type took its place.
"""

import pandas as pd
import pytest

from core.params import load_params
from devkit.pii_cases import pii_cases, surviving_pieces
from devkit.project import REPO
from router.language import LanguageDetector
from router.pii.context import LemmaContextAwareEnhancer
from router.pii.normalise import normalise
from router.scrub import PiiScrubber

CASES = pii_cases()
ENTITIES = load_params()["pii"]["entities"]
IP_SCORE_WITHOUT_CONTEXT = 0.6  # presidio's IpRecognizer, IPv4
STARTER_TICKETS = REPO / "data" / "starter" / "tickets.csv"


def scrub(scrubber: PiiScrubber, detector: LanguageDetector, text: str):
    """What the agent does: detect the language, then scrub."""
    return scrubber.scrub(text, detector.detect(text))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.language}-{c.entity_type}-{c.value}" for c in CASES])
def test_planted_pii_is_replaced_whole_by_its_typed_placeholder(scrubber, detector, case) -> None:
    result = scrub(scrubber, detector, case.text)
    assert surviving_pieces(case.value, result.text, case.rest) == [], result.text
    assert f"<{case.entity_type}>" in result.text
    assert result.entities.get(case.entity_type, 0) >= 1


def test_counts_every_entity_of_a_ticket_and_keeps_the_rest_of_the_text(scrubber, detector) -> None:
    text = (
        "Hi, I am John Smith, mail john.smith@acme.com or jsmith@acme.org, phone +1 (415) 555-0132. "
        "The VPN gateway 10.0.0.1 drops my session."
    )
    result = scrub(scrubber, detector, text)
    assert result.entities == {"EMAIL_ADDRESS": 2, "IP_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1}
    assert result.text == (
        "Hi, I am <PERSON>, mail <EMAIL_ADDRESS> or <EMAIL_ADDRESS>, phone <PHONE_NUMBER>. "
        "The VPN gateway <IP_ADDRESS> drops my session."
    )


def test_the_issue_example_loses_every_value(scrubber, detector) -> None:
    text = "my passport is X1234567, born 12/03/1985, 221B Baker Street NW1 6XE, key AKIAIOSFODNN7EXAMPLE"
    result = scrub(scrubber, detector, text)
    assert result.text == "my passport is <PASSPORT>, born <DATE_OF_BIRTH>, <ADDRESS>, key <SECRET>"


def test_a_name_touching_an_email_is_trimmed_not_dropped(scrubber, detector) -> None:
    result = scrub(scrubber, detector, "Please ask John Smith<john.smith@acme.com> to reset my VPN token.")
    assert result.text == "Please ask <PERSON><<EMAIL_ADDRESS>> to reset my VPN token."
    assert result.entities == {"EMAIL_ADDRESS": 1, "PERSON": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to john.smith\uff20acme.com today", "write to <EMAIL_ADDRESS> today"),  # fullwidth @
        (
            "card " + " ".join(["\uff14\uff11\uff11\uff11"] + ["\uff11" * 4] * 3) + " was charged twice",
            "card <CREDIT_CARD> was charged twice",
        ),
        ("mail jo\u200bhn.sm\u200dith@acme.com now", "mail <EMAIL_ADDRESS> now"),  # zero-width characters inside
        ("IBAN GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032 please", "IBAN <IBAN_CODE> please"),
        ("اتصل بي على ٠٥٠١٢٣٤٥٦٧ من فضلك", "اتصل بي على <PHONE_NUMBER> من فضلك"),
    ],
    ids=["fullwidth-at", "fullwidth-digits", "zero-width", "no-break-spaces", "arabic-indic-digits"],
)
def test_text_written_to_dodge_patterns_is_read_as_a_reader_reads_it(scrubber, detector, text, expected) -> None:
    assert scrub(scrubber, detector, text).text == expected


def test_arabic_name_after_the_new_employee_is_scrubbed_and_the_word_new_is_kept(scrubber, detector) -> None:
    result = scrub(scrubber, detector, "الموظف الجديد فاطمة الزهراء لا تستطيع الدخول إلى البريد")
    assert result.text == "الموظف الجديد <PERSON> لا تستطيع الدخول إلى البريد"


@pytest.mark.parametrize(
    ("valid", "invalid"),
    [
        ("ref 48291736Q attached", "ref 48291736A attached"),  # Spanish DNI check letter
        ("numéro 185057800608491 joint", "numéro 185057800608492 joint"),  # French NIR key
        ("card 4111 1111 1111 1111 charged", "card 4111 1111 1111 1112 charged"),  # Luhn
        ("client GB82 WEST 1234 5698 7654 32 ok", "client GB82 WEST 1234 5698 7654 33 ok"),  # IBAN mod 97
    ],
    ids=["es-dni", "fr-nir", "card", "iban"],
)
def test_identifiers_with_a_checksum_count_only_when_it_holds(scrubber, detector, valid, invalid) -> None:
    assert scrub(scrubber, detector, valid).text != valid
    assert scrub(scrubber, detector, invalid).text == invalid


@pytest.mark.parametrize(
    "text",
    [
        "my laptop screen is broken since monday, please help",
        "Grant access to the Finance share and mark the request as urgent.",
        "Since 14/03/2024 the VPN client 4.10.07061 drops every 15 minutes, build 10.0.19045.",
        "My password is not accepted after yesterday's change.",
        "Invoice 2024-0457 for 1,250.00 EUR was paid twice.",
        "Le serveur redémarre chaque nuit depuis la mise à jour de lundi.",
        "Der Drucker im Raum 2.041 meldet Fehler 59.F0, bitte prüfen.",
        "مرحبا، الشاشة لا تعمل منذ تحديث النظام يوم الخميس.",
    ],
)
def test_tickets_without_pii_come_back_unchanged(scrubber, detector, text) -> None:
    result = scrub(scrubber, detector, text)
    assert (result.text, result.entities) == (text, {})


def test_plain_urls_are_kept_but_credentials_in_urls_are_removed(scrubber, detector) -> None:
    result = scrub(scrubber, detector, "see https://wiki.acme.com/vpn and ftp://bob:Secr3t@files.acme.com/x")
    assert "https://wiki.acme.com/vpn" in result.text
    assert "Secr3t" not in result.text and "bob" not in result.text
    assert result.entities == {"URL_WITH_CREDENTIALS": 1}


def test_the_password_is_removed_and_the_word_password_kept(scrubber, detector) -> None:
    result = scrub(scrubber, detector, "VPN login fails, password: Tr0ub4dor&3 was set yesterday")
    assert result.text == "VPN login fails, password: <SECRET> was set yesterday"


def test_batch_scrub_equals_one_by_one(scrubber, detector) -> None:
    texts = [case.text for case in CASES[::7]]
    languages = [detector.detect(text) for text in texts]
    assert scrubber.scrub_batch(texts, languages) == [
        scrubber.scrub(t, lang) for t, lang in zip(texts, languages, strict=True)
    ]


def test_unknown_language_falls_back_to_the_first_configured_one(scrubber) -> None:
    assert scrubber.scrub("write to a.b@example.com", "xx").entities == {"EMAIL_ADDRESS": 1}


def scrub_with_ner_everywhere(scrubber: PiiScrubber, texts: list[str], languages: list[str]) -> list:
    """The reference: spaCy's full pipeline (NER included) on every text, then the same analysis."""
    results = []
    for text, language in zip(texts, languages, strict=True):
        form = normalise(text)
        [(_, artifacts)] = scrubber.nlp_engine.process_batch([form.text], language)
        results.append(scrubber.scrub_one(text, form, language, artifacts))
    return results


NER_EDGE_TEXTS = [
    "Sarah called about the printer again.",  # a lone name opening a sentence: only NER finds it
    "Merci d'avance, l'équipe de Jean-Pierre Kowalczyk-Nguyen",
    "printer jammed again, please ask john smith-baptiste in room 4",  # lower case: NER's names never kept
    "Regards, Mary-Ann O'Donnell-Vuković",
    "VPN down since Monday for the whole Paris office, ticket INC0012345",
]


def test_ner_runs_only_where_its_names_could_be_kept_and_changes_no_answer(scrubber, detector) -> None:
    starter = pd.read_csv(STARTER_TICKETS)["text"].tolist()
    texts = [case.text for case in CASES] + starter + NER_EDGE_TEXTS
    languages = [detector.detect(text) for text in texts]
    skipped = [text for text in texts if not scrubber.names.could_confirm_any(normalise(text).text)]
    assert NER_EDGE_TEXTS[2] in skipped and not {*NER_EDGE_TEXTS[:2], NER_EDGE_TEXTS[3]} & set(skipped)
    assert len(skipped) > len(texts) // 2  # most tickets skip the model
    assert scrubber.scrub_batch(texts, languages) == scrub_with_ner_everywhere(scrubber, texts, languages)


def test_the_indexed_context_enhancer_decides_as_presidios_own(scrubber, detector) -> None:
    """Context words raise scores ("email", "phone", "passport"...): the same findings and scores as
    presidio's enhancer, whose per-finding scans made a text of many findings cost minutes."""
    texts = [case.text for case in CASES] + ["server ip 10.1.2.3, email a@b.io, mail b@c.io " * 20]
    languages = [detector.detect(text) for text in texts]

    def findings(enhancer) -> list[list[tuple]]:
        scrubber.analyzer.context_aware_enhancer = enhancer
        return [
            [(r.entity_type, r.start, r.end, round(r.score, 6)) for r in scrubber.analyzer.analyze(t, lang, ENTITIES)]
            for t, lang in zip(texts, languages, strict=True)
        ]

    indexed = scrubber.analyzer.context_aware_enhancer
    try:
        theirs = findings(LemmaContextAwareEnhancer())
    finally:
        ours = findings(indexed)
    assert ours == theirs
    ip_scores = {score for entity, _, _, score in theirs[-1] if entity == "IP_ADDRESS"}
    assert ip_scores and min(ip_scores) > IP_SCORE_WITHOUT_CONTEXT  # the word "ip" raised them
