"""Language detection with lingua, restricted to the languages we must tell apart."""

from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder


def to_language(code: str) -> Language:
    """lingua's Language for an ISO 639-1 code, with the code named when it is unknown."""
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    except ValueError as error:
        raise ValueError(f"router.language.supported: unknown ISO 639-1 code {code!r}") from error


class LanguageDetector:
    """ISO 639-1 code of a ticket; the configured default when the text is too short or ambiguous."""

    def __init__(self, language_params: dict[str, Any]) -> None:
        languages = [to_language(code) for code in language_params["supported"]]
        self.default = str(language_params["default"])
        self.min_letters = int(language_params["min_letters"])
        builder = LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(
            float(language_params["min_relative_distance"])
        )
        if language_params.get("low_accuracy", False):  # trigram models only: less memory, short texts suffer
            builder = builder.with_low_accuracy_mode()
        if language_params.get("preload", True):  # else each language's models load on first use
            builder = builder.with_preloaded_language_models()
        self.detector = builder.build()

    def detect(self, text: str) -> str:
        """Detected language code, or the default (too few letters, or no clear winner)."""
        if sum(character.isalpha() for character in text) < self.min_letters:
            return self.default
        language = self.detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else self.default
