"""PII scrubbing with presidio, fully offline: typed placeholders in, entity counts out, values never kept."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from router.pii.context import IndexedContextEnhancer
from router.pii.names import NameFinder
from router.pii.normalise import NormalisedText, normalise
from router.pii.presidio import nlp_engine, predefined_recognizers, presidio_analyzer, presidio_anonymizer, spacy
from router.pii.recognizers import NameRecognizer, PhoneNumberRecognizer, ValueRecognizer, name_finder
from router.pii.spans import Finding, resolve

AnalyzerEngine = presidio_analyzer.AnalyzerEngine
Pattern = presidio_analyzer.Pattern
PatternRecognizer = presidio_analyzer.PatternRecognizer
RecognizerRegistry = presidio_analyzer.RecognizerRegistry
RecognizerResult = presidio_analyzer.RecognizerResult
NlpArtifacts = nlp_engine.NlpArtifacts
SpacyRecognizer = predefined_recognizers.SpacyRecognizer

# scheme://user:password@host — the credentials are the secret; plain URLs are kept (they help routing).
URL_WITH_CREDENTIALS = Pattern(
    "url with credentials", r"\b[a-z][a-z0-9+.\-]*://[^\s/:@]+:[^\s/@]+@[\w.\-]+(?::\d+)?(?:/\S*[^\s.,;:!?)])?", 0.9
)
NER_NAME_LABELS = {"PERSON", "PER"}  # spaCy English / French labels for people
# Components of spaCy's trained pipelines that presidio does not need (their NER has its own tok2vec).
NOT_NER = ["tok2vec", "tagger", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]
# Found by a model or a lexicon, not by a checksum or a fixed shape: trimmed first where spans overlap.
GUESSED_TYPES = frozenset({"PERSON"})


class MixedSpacyNlpEngine(nlp_engine.SpacyNlpEngine):
    """spaCy engine with real NER pipelines where installed and tokenizer-only pipelines elsewhere."""

    def __init__(self, ner_models: dict[str, str], languages: list[str]) -> None:
        super().__init__(models=[{"lang_code": code, "model_name": name} for code, name in ner_models.items()])
        self.languages = languages

    def load(self) -> None:
        """Load installed pipelines by name (never download), NER alone, and blank ones for the other languages.

        presidio only reads entities from spaCy: the tagger, parser and lemmatizer would cost half
        the time (NER has its own token vectors in these pipelines).
        """
        self.nlp = {model["lang_code"]: spacy.load(model["model_name"], exclude=NOT_NER) for model in self.models}
        for code in self.languages:
            self.nlp.setdefault(code, spacy.blank(code))
        # Only names are wanted from NER; ignoring the other labels also silences a per-call warning.
        labels = {label for nlp in self.nlp.values() if nlp.has_pipe("ner") for label in nlp.get_pipe("ner").labels}
        self.ner_model_configuration = nlp_engine.NerModelConfiguration(
            labels_to_ignore=sorted(labels - NER_NAME_LABELS)
        )

    def tokenize_batch(self, texts: list[str], language: str) -> list[NlpArtifacts]:
        """Artifacts with tokens and no entities: the same tokenizer as `process_batch`, no NER run."""
        nlp = self.nlp[language]
        return [self._doc_to_nlp_artifact(nlp.make_doc(text), language) for text in texts]

    def _doc_to_nlp_artifact(self, doc: spacy.tokens.Doc, language: str) -> NlpArtifacts:
        """No lemmatizer runs: use lower-cased tokens so context words still match.

        The keywords context words are looked up in are derived from the lemmas when the artifacts
        are built: derived again here, or every keyword would be empty and no context ever match.
        """
        artifacts = super()._doc_to_nlp_artifact(doc, language)
        artifacts.lemmas = [lemma or token.lower_ for lemma, token in zip(artifacts.lemmas, doc, strict=True)]
        artifacts.keywords = artifacts.set_keywords(self, artifacts.lemmas, language)
        return artifacts


class LexiconCheckedNerRecognizer(SpacyRecognizer):
    """spaCy's PERSON spans, kept only when one of their words is a known name and none holds a digit.

    The small English and French models tag products and codes as people ("Zabbix", "KB5034441",
    "Citrix Workspace") and, on lower-cased text, verbs; what they add over the lexicon is the
    reach of a name (a family name the lexicon does not know after a first name it does).
    """

    def __init__(self, language: str, names: NameFinder) -> None:
        self.names = names
        super().__init__(supported_language=language, supported_entities=["PERSON"])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts = None) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        return [result for result in results if self.names.confirms(text[result.start : result.end])]


def recognizers_for(language: str, has_ner: bool, pii_params: dict[str, Any], names: NameFinder) -> list[Any]:
    """Every recognizer used for one language (all but NER are the same in every language)."""
    recognizers = [
        predefined_recognizers.EmailRecognizer(supported_language=language),
        PhoneNumberRecognizer(language, pii_params["phone_regions"], pii_params["scores"]["phone"]),
        predefined_recognizers.CreditCardRecognizer(supported_language=language),
        predefined_recognizers.IbanRecognizer(supported_language=language),
        predefined_recognizers.IpRecognizer(supported_language=language),
        PatternRecognizer(
            supported_entity="URL_WITH_CREDENTIALS", patterns=[URL_WITH_CREDENTIALS], supported_language=language
        ),
        ValueRecognizer(language),
        NameRecognizer(language, names, pii_params["scores"]["names"]),
    ]
    if has_ner:
        recognizers.append(LexiconCheckedNerRecognizer(language, names))
    return recognizers


def in_positions(size: int, groups: list[tuple[list[int], Iterable[Any]]]) -> list[Any]:
    """Values computed group by group (positions, values in the same order) back in input order."""
    values: list[Any] = [None] * size
    for positions, computed in groups:
        for position, value in zip(positions, computed, strict=True):
            values[position] = value
    return values


@dataclass(frozen=True)
class ScrubResult:
    """The text with typed placeholders, and how many entities of each type were replaced."""

    text: str
    entities: dict[str, int] = field(default_factory=dict)


class PiiScrubber:
    """presidio analyzer + anonymizer, built once (spaCy loading takes seconds), reused per call.

    Detection runs on the normalised text (router/pii/normalise.py); overlapping findings are
    trimmed (router/pii/spans.py); placeholders replace the original spans.
    `languages` are the ones the agent detects (`router.language.supported`): each gets its recognizers.
    """

    def __init__(self, pii_params: dict[str, Any], languages: list[str]) -> None:
        self.languages = list(languages)
        self.entities = list(pii_params["entities"])
        self.score_threshold = float(pii_params["score_threshold"])
        self.batch_size = int(pii_params["batch_size"])
        ner_models = dict(pii_params["ner_models"])
        self.names = names = name_finder(int(pii_params["name_max_tokens"]))
        registry = RecognizerRegistry(supported_languages=self.languages)
        for language in self.languages:
            for recognizer in recognizers_for(language, language in ner_models, pii_params, names):
                registry.add_recognizer(recognizer)
        self.nlp_engine = MixedSpacyNlpEngine(ner_models, self.languages)
        self.nlp_engine.load()
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=self.nlp_engine,
            supported_languages=self.languages,
            context_aware_enhancer=IndexedContextEnhancer(),
        )
        self.anonymizer = presidio_anonymizer.AnonymizerEngine()

    def scrub(self, text: str, language: str) -> ScrubResult:
        """Replace every PII entity by <ENTITY_TYPE>; unknown languages use the first configured one."""
        return self.scrub_batch([text], [language])[0]

    def scrub_batch(self, texts: list[str], languages: list[str]) -> list[ScrubResult]:
        """`scrub` for many texts: spaCy runs once per language over all of its texts (nlp.pipe)."""
        languages = [language if language in self.languages else self.languages[0] for language in languages]
        normalised = [normalise(text) for text in texts]
        by_language = {code: [i for i, language in enumerate(languages) if language == code] for code in set(languages)}
        artifacts = in_positions(
            len(texts),
            [(at, self.nlp_artifacts([normalised[i].text for i in at], code)) for code, at in by_language.items()],
        )
        return [
            self.scrub_one(text, form, language, processed)
            for text, form, language, processed in zip(texts, normalised, languages, artifacts, strict=True)
        ]

    def nlp_artifacts(self, texts: list[str], language: str) -> list[NlpArtifacts]:
        """spaCy's tokens (and names, where NER could matter) of texts in one language, in order.

        NER runs only on texts where one of its names could be kept (`NameFinder.could_confirm_any`):
        lower-case text, most tickets of some helpdesks, skips the model, the costliest part of a scrub.
        """
        with_ner = [index for index, text in enumerate(texts) if self.names.could_confirm_any(text)]
        without_ner = sorted(set(range(len(texts))) - set(with_ner))
        named = self.nlp_engine.process_batch([texts[i] for i in with_ner], language, batch_size=self.batch_size)
        tokenized = self.nlp_engine.tokenize_batch([texts[i] for i in without_ner], language)
        return in_positions(len(texts), [(with_ner, (artifacts for _, artifacts in named)), (without_ner, tokenized)])

    def scrub_one(self, text: str, form: NormalisedText, language: str, artifacts: Any) -> ScrubResult:
        """Analyse the normalised form, trim overlaps, replace the original spans."""
        found = self.analyzer.analyze(
            text=form.text,
            language=language,
            entities=self.entities,
            score_threshold=self.score_threshold,
            nlp_artifacts=artifacts,
        )
        findings = [Finding(item.entity_type, item.start, item.end, item.score) for item in found]
        kept, counts = resolve(form.text, findings, GUESSED_TYPES)
        if not kept:
            return ScrubResult(text)
        originals = [
            RecognizerResult(item.entity_type, *form.original_span(item.start, item.end), item.score) for item in kept
        ]
        anonymized = self.anonymizer.anonymize(text=text, analyzer_results=originals)
        return ScrubResult(anonymized.text, {name: count for name, count in sorted(counts.items()) if count})
