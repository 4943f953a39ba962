"""One human sentence per decision: which model answered, why, and the numbers that decided."""

from core.names import Fallback, ModelName, RouteReason
from router.policy import Decision, RoutingConfig, top_two

FALLBACK_WORDS = {
    Fallback.TRANSFORMER_TIMEOUT: "timed out",
    Fallback.TRANSFORMER_ERROR: "failed",
    Fallback.TRANSFORMER_CIRCUIT_OPEN: "is paused after repeated failures",
    Fallback.TFIDF_TIMEOUT: "timed out",
    Fallback.TFIDF_ERROR: "failed",
    Fallback.TFIDF_CIRCUIT_OPEN: "is paused after repeated failures",
}


def length_clause(decision: Decision, config: RoutingConfig) -> str:
    """Which length limit the ticket crossed."""
    facts = decision.facts
    if facts.chars > config.max_chars:
        return f"the ticket is long ({facts.chars} characters > {config.max_chars})"
    return f"the ticket is long ({facts.words} words > {config.max_words})"


def reason_clause(decision: Decision, config: RoutingConfig) -> str:
    """Why the route was taken, with the deciding numbers."""
    reason = decision.route.reason
    if reason == RouteReason.LANGUAGE:
        allowed = ", ".join(config.tfidf_languages)
        return f"the ticket is in '{decision.facts.language}' and TF-IDF answers alone only for '{allowed}'"
    if reason == RouteReason.LONG_TEXT:
        return length_clause(decision, config)
    if reason == RouteReason.TFIDF_UNAVAILABLE:
        return "the TF-IDF model did not answer"
    _, confidence, margin = top_two(decision.tfidf_scores or {})
    if reason == RouteReason.LOW_CONFIDENCE:
        return f"TF-IDF was unsure (confidence {confidence:.2f} < {config.min_confidence:.2f})"
    if reason == RouteReason.LOW_MARGIN:
        return f"TF-IDF hesitated between two labels (margin {margin:.2f} < {config.min_margin:.2f})"
    return (
        f"it is a short '{decision.facts.language}' ticket ({decision.facts.words} words) and TF-IDF was sure "
        f"(confidence {confidence:.2f} >= {config.min_confidence:.2f}, margin {margin:.2f} >= {config.min_margin:.2f})"
    )


def model_phrase(decision: Decision, config: RoutingConfig) -> str:
    """Who answered, e.g. 'The ensemble (transformer 0.70 + TF-IDF 0.30)'."""
    if decision.model == ModelName.ENSEMBLE:
        weight = config.ensemble_weight
        return f"The ensemble (transformer {weight:.2f} + TF-IDF {1 - weight:.2f})"
    return "TF-IDF" if decision.model == ModelName.TFIDF else "The transformer"


def explain(decision: Decision, config: RoutingConfig) -> str:
    """One sentence naming the model, the reason and the numbers; fallbacks and reviews are said too."""
    answer = f"{model_phrase(decision, config)} chose {decision.category} ({decision.confidence:.2f})"
    failure = FALLBACK_WORDS.get(decision.fallback, "was unavailable") if decision.fallback else ""
    if decision.fallback and decision.fallback.model == ModelName.TFIDF:
        sentence = f"{answer} as a fallback: the TF-IDF model {failure}"
    elif decision.fallback:
        sentence = (
            f"{answer} as a fallback: the transformer {failure}, "
            f"though it was asked because {reason_clause(decision, config)}"
        )
    else:
        sentence = f"{answer} because {reason_clause(decision, config)}"
    if decision.confidence < config.review_threshold:
        sentence += f"; flagged for review (confidence {decision.confidence:.2f} < {config.review_threshold:.2f})"
    elif decision.needs_review:
        sentence += "; flagged for review (degraded answer)"
    return sentence + "."
