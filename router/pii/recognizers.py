"""presidio recognizers for what the predefined ones miss: value patterns, names, phones at low cost."""

import re
from functools import cache
from typing import Any

import phonenumbers
import regex

from router.pii.lexicon import load_lexicon
from router.pii.names import NameFinder
from router.pii.patterns import PATTERNS, ValuePattern
from router.pii.presidio import presidio_analyzer

EntityRecognizer = presidio_analyzer.EntityRecognizer
RecognizerResult = presidio_analyzer.RecognizerResult
COMPILED = tuple((pattern, regex.compile(pattern.regex)) for pattern in PATTERNS)
# A run of digits with the separators phones are written with; its digits are checked afterwards.
PHONE_CANDIDATE = regex.compile(r"(?<![\w+/.-])(?:\+|00|\()?\d(?:[ ().\-/]{0,3}\d){5,16}\)?(?![\w]|\.\d)")
DOTTED_PHONE = re.compile(r"\(?\d{2,4}\)?(?:\.\d{2,4})+")  # 06.12.34.56.78, 415.555.0132
NOT_PHONES = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,3}(?:\.\d{1,3}){3}")


class ValueRecognizer(EntityRecognizer):
    """Every pattern of router/pii/patterns.py: the `value` group, if its check passes, is the entity."""

    def __init__(self, language: str, patterns: tuple[tuple[ValuePattern, Any], ...] = COMPILED) -> None:
        self.patterns = patterns
        entities = sorted({pattern.entity for pattern, _ in patterns})
        super().__init__(supported_entities=entities, supported_language=language, name="ValueRecognizer")

    def load(self) -> None:
        """Patterns are compiled once per process, at import."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        for pattern, compiled in self.patterns:
            if pattern.entity not in entities:
                continue
            for match in compiled.finditer(text):
                start, end = match.span("value")
                if start < end and (pattern.validate is None or pattern.validate(match["value"])):
                    results.append(RecognizerResult(pattern.entity, start, end, pattern.score))
        return results


class NameRecognizer(EntityRecognizer):
    """Names the lexicon and cue words find (router/pii/names.py), in every language and script."""

    def __init__(self, language: str, finder: NameFinder, scores: dict[str, float]) -> None:
        self.finder = finder
        self.scores = scores
        super().__init__(supported_entities=["PERSON"], supported_language=language, name="NameRecognizer")

    def load(self) -> None:
        """The lexicon is loaded once per process and shared by every language."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        return [
            RecognizerResult("PERSON", start, end, self.scores["known" if known else "cued"])
            for start, end, known in self.finder.find(text)
        ]


class PhoneNumberRecognizer(EntityRecognizer):
    """Phone numbers: one regex pass for digit runs, then libphonenumber on each run only.

    presidio's PhoneRecognizer runs libphonenumber's matcher over the whole text once per region
    (21 passes; about 2 s on a 20,000-character digit-heavy text). Here a run written with a +
    or 00 is parsed once; a national one is tried region by region until one accepts it.
    """

    def __init__(self, language: str, regions: list[str], score: float) -> None:
        self.regions = list(regions)
        self.score = score
        super().__init__(supported_entities=["PHONE_NUMBER"], supported_language=language, name="PhoneNumberRecognizer")

    def load(self) -> None:
        """libphonenumber's metadata loads lazily, region by region."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if "PHONE_NUMBER" not in entities:
            return []
        return [
            RecognizerResult("PHONE_NUMBER", match.start(), match.end(), self.score)
            for match in PHONE_CANDIDATE.finditer(text)
            if self.is_phone(match[0])
        ]

    def is_phone(self, candidate: str) -> bool:
        """Valid for the country its +CC names, or for one of the configured regions.

        Dates, IP addresses and versions (10.0.19045) are not phones; a national number without a
        trunk 0 needs 9 digits, so invoice and ticket numbers (2024-0457) are left alone.
        """
        if NOT_PHONES.fullmatch(candidate) or ("." in candidate and not DOTTED_PHONE.fullmatch(candidate)):
            return False
        digits = re.sub(r"\D", "", candidate)
        if candidate.startswith(("+", "00")):
            return valid_phone("+" + (digits[2:] if candidate.startswith("00") else digits), None)
        if len(digits) < (7 if digits.startswith("0") else 9):
            return False
        return any(valid_phone(candidate, region) for region in self.regions if fits_region(digits, region))


@cache
def national_lengths(region: str) -> tuple[str, frozenset[int]]:
    """A region's trunk prefix ("0" in France) and the lengths its national numbers can have."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return metadata.national_prefix or "", frozenset(metadata.general_desc.possible_length)


def fits_region(digits: str, region: str) -> bool:
    """Cheap test before parsing: the digits, less the trunk prefix, have a length the region uses."""
    prefix, lengths = national_lengths(region)
    national = digits[len(prefix) :] if prefix and digits.startswith(prefix) else digits
    return len(national) in lengths or len(digits) in lengths


def valid_phone(candidate: str, region: str | None) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(candidate, region))
    except phonenumbers.NumberParseException:
        return False


def name_finder(max_tokens: int) -> NameFinder:
    """The finder every language's NameRecognizer shares (one lexicon in memory)."""
    return NameFinder(load_lexicon(), max_tokens)
