"""Language detection restricted to the configured set, with a default for short or unclear text."""

import pytest

from router.language import LanguageDetector

SAMPLES = [
    ("my laptop screen is broken and the keyboard does not respond", "en"),
    ("mon ordinateur ne démarre plus depuis la mise à jour de ce matin", "fr"),
    ("لا أستطيع الدخول إلى البريد الإلكتروني منذ الصباح", "ar"),
    ("mein Drucker druckt seit gestern nicht mehr, bitte helfen", "de"),
    ("mi impresora no funciona desde ayer, necesito ayuda", "es"),
    ("o meu computador não liga desde ontem, preciso de ajuda", "pt"),
]


@pytest.mark.parametrize(("text", "language"), SAMPLES, ids=[language for _, language in SAMPLES])
def test_detects_each_supported_language(detector: LanguageDetector, text: str, language: str) -> None:
    assert detector.detect(text) == language


@pytest.mark.parametrize("text", ["", "ok", "12345 678", "?!"])
def test_too_short_text_gets_the_configured_default(detector: LanguageDetector, params: dict, text: str) -> None:
    assert detector.detect(text) == params["router"]["language"]["default"]


def test_unknown_language_code_in_params_is_named() -> None:
    with pytest.raises(ValueError, match="'xx'"):
        LanguageDetector({"supported": ["en", "xx"], "default": "en", "min_letters": 3, "min_relative_distance": 0})
