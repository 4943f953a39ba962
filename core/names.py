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
    TFIDF_CIRCUIT_OPEN = "tfidf_circuit_open"
    TRANSFORMER_TIMEOUT = "transformer_timeout"
    TRANSFORMER_ERROR = "transformer_error"
    TRANSFORMER_CIRCUIT_OPEN = "transformer_circuit_open"
    PRIORITY_TIMEOUT = "priority_timeout"
    PRIORITY_ERROR = "priority_error"
    PRIORITY_CIRCUIT_OPEN = "priority_circuit_open"
    NO_MODEL = "no_model"

    @classmethod
    def of(cls, model: ModelName, timed_out: bool) -> "Fallback":
        """The fallback reason for `model` timing out or failing."""
        return cls(f"{model}_{'timeout' if timed_out else 'error'}")

    @classmethod
    def skipped(cls, model: ModelName) -> "Fallback":
        """The fallback reason for `model` not being asked: its circuit breaker is open."""
        return cls(f"{model}_circuit_open")

    @property
    def model(self) -> ModelName | None:
        """The model that did not answer (None for NO_MODEL)."""
        return next((model for model in ModelName if self.value.startswith(f"{model}_")), None)
