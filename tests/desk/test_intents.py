"""The chat's intent classifier as `dvc repro train_intents` writes it, deciding as the chat does: messages
that are in none of the shipped intents data, in English and French, in scope and out of it."""

from pathlib import Path

import pytest

from core.params import load_params
from models.intents import IntentPredictor

MESSAGES = {
    "how do I fix a dripping tap": "other",
    "can you book me a train to Lyon": "other",
    "comment réparer une chaîne de vélo": "other",
    "peux-tu réserver un taxi pour demain": "other",
    "please bin ticket 42": "delete",
    "jette mon ticket 42 à la poubelle": "delete",
    "is ticket 8 fixed yet": "show",
    "le ticket 8 est-il réparé": "show",
    "where should I begin": "help",
    "je commence par où": "help",
    "no, I'd rather not open one": "cancel",
    "non merci, je vais me débrouiller": "cancel",
}
# Words the intents data never uses for these intents: the n-grams alone read them as `show`, `other`
# and `other`; the sentence embedding knows what they mean (models/sentences.py).
UNSEEN_WORDS = {
    "obliterate ticket 31": "delete",
    "file a complaint about my monitor": "open",
    "repasse le 31 en cours": "set_status",
}


@pytest.fixture(scope="module")
def intents(intents_in_project: Path) -> IntentPredictor:
    project = intents_in_project.parent.parent
    chat = load_params(str(project / "params.yaml"))["desk"]["chat"]
    return IntentPredictor(intents_in_project, chat["min_intent_confidence"])


@pytest.mark.parametrize(("message", "intent"), [*MESSAGES.items(), *UNSEEN_WORDS.items()])
def test_the_trained_classifier_understands_new_messages_in_both_languages(
    intents: IntentPredictor, message: str, intent: str
) -> None:
    assert intents.predict(message)[0] == intent


def test_an_unsure_guess_is_answered_as_not_understood(intents_in_project: Path) -> None:
    """The chat's rule: under the confidence threshold the intent is `other`, whatever the best guess."""
    intent, confidence = IntentPredictor(intents_in_project, min_confidence=1.01).predict("show ticket 12")
    assert intent == "other" and 0.5 < confidence <= 1
