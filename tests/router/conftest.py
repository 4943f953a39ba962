"""Router fixtures: the PII scrubber and language detector are built once per session (seconds each)."""

import pytest

from core.params import load_params
from router.language import LanguageDetector
from router.policy import RoutingConfig
from router.scrub import PiiScrubber


@pytest.fixture(scope="session")
def params() -> dict:
    return load_params()


@pytest.fixture(scope="session")
def scrubber(params: dict) -> PiiScrubber:
    return PiiScrubber(params["pii"], params["router"]["language"]["supported"])


@pytest.fixture(scope="session")
def detector(params: dict) -> LanguageDetector:
    return LanguageDetector(params["router"]["language"])


@pytest.fixture
def config() -> RoutingConfig:
    """Fixed thresholds, so rule tests do not move when tune_routing rewrites params.yaml."""
    return RoutingConfig(
        tfidf_languages=("en",),
        max_chars=600,
        max_words=100,
        min_confidence=0.6,
        min_margin=0.3,
        ensemble_weight=1.0,
        review_threshold=0.5,
    )
