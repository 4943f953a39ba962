"""Names of the answering models, routing reasons and fallbacks: API values, metric labels, explanations.

StrEnums, so each value is also the plain string that JSON, Prometheus labels and dashboards see.
"""

from enum import StrEnum


class ModelName(StrEnum):
    """Who answered a ticket (PRIORITY: the model that rates its urgency, asked beside the category models)."""

    TFIDF = "tfidf"
    TRANSFORMER = "transformer"
    ENSEMBLE = "ensemble"
    PRIORITY = "priority"


class RouteReason(StrEnum):
    """Why a ticket stayed on TF-IDF or was also sent to the transformer."""

    CONFIDENT = "confident"
    LOW_CONFIDENCE = "low_confidence"
    LOW_MARGIN = "low_margin"
    LONG_TEXT = "long_text"
    LANGUAGE = "language"
    TFIDF_UNAVAILABLE = "tfidf_unavailable"


class Fallback(StrEnum):
    """Why an answer is degraded: which model did not answer and how, or that none did."""

    TFIDF_TIMEOUT = "tfidf_timeout"
    TFIDF_ERROR = "tfidf_error"
    TRANSFORMER_TIMEOUT = "transformer_timeout"
    TRANSFORMER_ERROR = "transformer_error"
    PRIORITY_TIMEOUT = "priority_timeout"
    PRIORITY_ERROR = "priority_error"
    NO_MODEL = "no_model"

    @classmethod
    def of(cls, model: ModelName, timed_out: bool) -> "Fallback":
        """The fallback reason for `model` timing out or failing."""
        return cls(f"{model}_{'timeout' if timed_out else 'error'}")
