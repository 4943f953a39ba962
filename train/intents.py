"""DVC stage `train_intents`: the chat's intent classifier (TF-IDF words + characters and a sentence
embedding, logistic regression).

Trained on the shipped EN + FR dataset (`intents.data`), scored on a held-out split with the chat's
own rule (`models.intents.decide`: under `desk.chat.min_intent_confidence` is `other`); the stage
fails when accuracy is under `intents.min_accuracy`. Writes the skops model the desk's chat loads
(`desk.chat.intent_model`) and metrics/intents.json.

Messages that read the same once normalised (case, numbers, punctuation, word order) are kept once, and each
message's side of the split is a hash of that normal form: no message is on both sides, and a
message stays on its side as the dataset grows.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import FeatureUnion, Pipeline

from core.errors import DatasetError, one_line_errors
from core.params import load_params, resolve_path
from models.intents import WORD, normalize_utterance, predict_intents
from models.sentences import SentenceEmbedding

METRICS = "metrics/intents.json"


@dataclass
class IntentRun:
    """A fitted pipeline and how it did on the held-out split."""

    pipeline: Pipeline
    test: pd.DataFrame  # text, intent, language, predicted

    @property
    def accuracy(self) -> float:
        return float(accuracy_score(self.test["intent"], self.test["predicted"]))

    def accuracy_by_language(self) -> dict[str, float]:
        hits = self.test["intent"] == self.test["predicted"]
        return {str(language): float(hit.mean()) for language, hit in hits.groupby(self.test["language"])}

    def mistakes(self) -> list[tuple[str, str, str]]:
        """(message, true intent, predicted) for every held-out miss."""
        wrong = self.test[self.test["intent"] != self.test["predicted"]]
        return list(wrong[["text", "intent", "predicted"]].itertuples(index=False, name=None))


def build_pipeline(intents: dict[str, Any]) -> Pipeline:
    """Word and character n-gram TF-IDF and the message's sentence embedding (left out at
    `embedding_weight` 0), then a multinomial logistic regression."""
    steps = [
        ("word", TfidfVectorizer(ngram_range=tuple(intents["word_ngrams"]), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(intents["char_ngrams"]), sublinear_tf=True)),
    ]
    if intents["embedding_weight"]:
        steps.append(("meaning", SentenceEmbedding(weight=intents["embedding_weight"])))
    features = FeatureUnion(steps)
    model = LogisticRegression(C=intents["C"], class_weight=intents["class_weight"], max_iter=5000)
    return Pipeline([("features", features), ("model", model)])


def same_message(text: str) -> str:
    """What two messages share when they say the same thing, in any word order: 'Close ticket 12, please!'
    and 'please close ticket 7'."""
    return " ".join(sorted(WORD.findall(normalize_utterance(text))))


def load_intents(path: str) -> pd.DataFrame:
    """The intents CSV (text, intent, language), each message once; a clear error when it cannot be used."""
    frame = pd.read_csv(resolve_path(path), dtype=str, keep_default_na=False)  # "nan", "none": messages too
    missing = {"text", "intent", "language"} - set(frame.columns)
    if missing:
        raise DatasetError(f"{path}: missing column(s) {sorted(missing)}")
    keys = frame["text"].map(same_message)
    conflicts = frame.groupby(keys)["intent"].nunique()
    if (conflicts > 1).any():
        raise DatasetError(f"{path}: the same message under two intents: {sorted(conflicts[conflicts > 1].index)[:5]}")
    return frame.assign(key=keys).drop_duplicates("key").reset_index(drop=True)


def is_held_out(key: str, test_size: float, seed: int) -> bool:
    """A message's side of the split, from a salted hash of its normal form (stable as rows are added)."""
    digest = hashlib.blake2b(f"{seed}/{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < test_size


def split_intents(frame: pd.DataFrame, intents: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training messages, held-out messages)."""
    held_out = frame["key"].map(lambda key: is_held_out(key, intents["test_size"], intents["seed"]))
    return frame[~held_out], frame[held_out]


def fit_intents(intents: dict[str, Any], min_confidence: float) -> IntentRun:
    """Split, fit, and decide the held-out messages as the chat would."""
    train, test = split_intents(load_intents(intents["data"]), intents)
    pipeline = build_pipeline(intents).fit(train["text"].map(normalize_utterance), train["intent"])
    decisions = predict_intents(pipeline, test["text"], min_confidence)
    return IntentRun(pipeline, test.assign(predicted=[intent for intent, _ in decisions]))


@one_line_errors
def main() -> None:
    import skops.io

    params = load_params()
    run = fit_intents(params["intents"], params["desk"]["chat"]["min_intent_confidence"])
    if run.accuracy < params["intents"]["min_accuracy"]:
        raise DatasetError(
            f"intent accuracy {run.accuracy:.3f} < {params['intents']['min_accuracy']} on the held-out split; "
            f"misses: {run.mistakes()[:5]}"
        )
    out = resolve_path(params["desk"]["chat"]["intent_model"])
    out.parent.mkdir(parents=True, exist_ok=True)
    skops.io.dump(run.pipeline, out)
    metrics = {"accuracy": run.accuracy, "by_language": run.accuracy_by_language(), "test_messages": len(run.test)}
    resolve_path(METRICS).parent.mkdir(parents=True, exist_ok=True)
    resolve_path(METRICS).write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"intents: held-out accuracy {run.accuracy:.3f} on {len(run.test)} messages -> {out}")


if __name__ == "__main__":
    main()
