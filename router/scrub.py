"""PII scrubbing with presidio, fully offline: typed placeholders in, entity counts out, values never kept."""

import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# tldextract (used by presidio's email validation) reads this when imported: the bundled public
# suffix snapshot is enough, and a network fetch would hang an offline server.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def _import_presidio() -> tuple[Any, Any]:
    """Import presidio without its optional Hugging Face NER path.

    presidio imports transformers and torch for an NER engine we never use (8 s, +400 MB per
    worker); hiding them during the import makes it 2 s. A process that already loaded them
    (a test session, a training job) keeps them: nothing is hidden then.
    """
    hidden = [name for name in ("transformers", "torch") if name not in sys.modules]
    if len(hidden) < 2:
        hidden = []
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import presidio_analyzer
        import presidio_anonymizer
    finally:
        for name in hidden:
            del sys.modules[name]
    return presidio_analyzer, presidio_anonymizer


presidio_analyzer, presidio_anonymizer = _import_presidio()
import spacy  # noqa: E402  (after presidio: spaCy's thinc would import torch otherwise)
import tldextract  # noqa: E402
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
)
from presidio_anonymizer import AnonymizerEngine  # noqa: E402

# Belt and braces: if tldextract was imported before the variable above was set, its default
# extractor would still fetch the list over HTTP.
tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls = ()

# scheme://user:password@host — the credentials are the secret; plain URLs are kept (they help routing).
URL_WITH_CREDENTIALS = Pattern(
    "url with credentials", r"\b[a-z][a-z0-9+.\-]*://[^\s/:@]+:[^\s/@]+@[\w.\-]+(?::\d+)?(?:/\S*[^\s.,;:!?)])?", 0.9
)
# Arabic has no NER pipeline here: a name is the Arabic word(s) after a word that introduces a
# person (my name is, Mr, Mrs, engineer, doctor, colleague...), with an optional family name
# (al-..., bin/bint/abu ...).
ARABIC_NAME_CONTEXT = (
    "اسمي|السيد|السيدة|الأستاذ|الأستاذة|المهندس|المهندسة|الدكتور|الدكتورة|الزميل|الزميلة|الموظف|الموظفة"
)
ARABIC_WORD = r"[\u0621-\u064A]{2,}"
ARABIC_NAME = Pattern(
    "arabic name after a title",
    rf"(?<=(?:{ARABIC_NAME_CONTEXT})\s+){ARABIC_WORD}(?:\s+(?:(?:بن|بنت|أبو)\s+{ARABIC_WORD}|ال[\u0621-\u064A]{{2,}}))?",
    0.6,
)
NER_NAME_LABELS = {"PERSON", "PER"}  # spaCy English / French labels for people
ARABIC_PHONE_CONTEXT = ["هاتف", "الهاتف", "جوال", "الجوال", "رقم", "اتصل", "واتساب"]


class MixedSpacyNlpEngine(SpacyNlpEngine):
    """spaCy engine with real NER pipelines where installed and tokenizer-only pipelines elsewhere."""

    def __init__(self, ner_models: dict[str, str], languages: list[str]) -> None:
        super().__init__(models=[{"lang_code": code, "model_name": name} for code, name in ner_models.items()])
        self.languages = languages

    def load(self) -> None:
        """Load installed pipelines by name (never download) and blank ones for the other languages."""
        self.nlp = {model["lang_code"]: spacy.load(model["model_name"]) for model in self.models}
        for code in self.languages:
            self.nlp.setdefault(code, spacy.blank(code))
        # Only names are wanted from NER; ignoring the other labels also silences a per-call warning.
        labels = {label for nlp in self.nlp.values() if nlp.has_pipe("ner") for label in nlp.get_pipe("ner").labels}
        self.ner_model_configuration = NerModelConfiguration(labels_to_ignore=sorted(labels - NER_NAME_LABELS))

    def _doc_to_nlp_artifact(self, doc: spacy.tokens.Doc, language: str) -> NlpArtifacts:
        """Blank pipelines have no lemmatizer: use lower-cased tokens so context words still match."""
        artifacts = super()._doc_to_nlp_artifact(doc, language)
        artifacts.lemmas = [lemma or token.lower_ for lemma, token in zip(artifacts.lemmas, doc, strict=True)]
        return artifacts


def recognizers_for(language: str, has_ner: bool, phone_regions: list[str]) -> list[Any]:
    """Every recognizer used for one language."""
    recognizers = [
        EmailRecognizer(supported_language=language),
        PhoneRecognizer(
            supported_language=language,
            supported_regions=tuple(phone_regions),
            context=ARABIC_PHONE_CONTEXT if language == "ar" else None,
        ),
        CreditCardRecognizer(supported_language=language),
        IbanRecognizer(supported_language=language),
        IpRecognizer(supported_language=language),
        PatternRecognizer(
            supported_entity="URL_WITH_CREDENTIALS", patterns=[URL_WITH_CREDENTIALS], supported_language=language
        ),
    ]
    if has_ner:
        recognizers.append(SpacyRecognizer(supported_language=language, supported_entities=["PERSON"]))
    if language == "ar":
        recognizers.append(
            PatternRecognizer(supported_entity="PERSON", patterns=[ARABIC_NAME], supported_language="ar")
        )
    return recognizers


def drop_names_over_patterns(findings: list[Any]) -> list[Any]:
    """Drop PERSON spans that overlap a pattern match: small NER models swallow URLs and emails into names."""
    patterns = [finding for finding in findings if finding.entity_type != "PERSON"]
    return patterns + [
        name
        for name in findings
        if name.entity_type == "PERSON"
        and not any(name.start < other.end and other.start < name.end for other in patterns)
    ]


@dataclass(frozen=True)
class ScrubResult:
    """The text with typed placeholders, and how many entities of each type were replaced."""

    text: str
    entities: dict[str, int] = field(default_factory=dict)


class PiiScrubber:
    """presidio analyzer + anonymizer, built once (spaCy loading takes seconds), reused per call.

    `languages` are the ones the agent detects (`router.language.supported`): each gets its recognizers.
    """

    def __init__(self, pii_params: dict[str, Any], languages: list[str]) -> None:
        self.languages = list(languages)
        self.entities = list(pii_params["entities"])
        self.score_threshold = float(pii_params["score_threshold"])
        ner_models = dict(pii_params["ner_models"])
        registry = RecognizerRegistry(supported_languages=self.languages)
        for language in self.languages:
            for recognizer in recognizers_for(language, language in ner_models, pii_params["phone_regions"]):
                registry.add_recognizer(recognizer)
        nlp_engine = MixedSpacyNlpEngine(ner_models, self.languages)
        nlp_engine.load()
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=self.languages)
        self.anonymizer = AnonymizerEngine()

    def scrub(self, text: str, language: str) -> ScrubResult:
        """Replace every PII entity by <ENTITY_TYPE>; unknown languages use the first configured one."""
        language = language if language in self.languages else self.languages[0]
        findings = self.analyzer.analyze(
            text=text, language=language, entities=self.entities, score_threshold=self.score_threshold
        )
        findings = drop_names_over_patterns(findings)
        if not findings:
            return ScrubResult(text)
        # The anonymizer's default operator is `replace` with "<ENTITY_TYPE>", and it resolves overlaps.
        anonymized = self.anonymizer.anonymize(text=text, analyzer_results=findings)
        counts = Counter(item.entity_type for item in anonymized.items)
        return ScrubResult(anonymized.text, dict(sorted(counts.items())))
