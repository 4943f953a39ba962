"""DVC stage `train_intents`: the chat's intent classifier (TF-IDF words + characters, logistic regression).

Trained on the shipped EN + FR dataset (`intents.data`), scored on a stratified held-out split;
the stage fails when accuracy is under `intents.min_accuracy`. Writes the skops model the desk's
chat loads (`desk.chat.intent_model`) and metrics/intents.json.
"""

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from core.errors import DatasetError, one_line_errors
from core.params import load_params, resolve_path
from models.intents import normalize_utterance

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
    """Word and character n-gram TF-IDF, then a multinomial logistic regression."""
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=tuple(intents["word_ngrams"]), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(intents["char_ngrams"]), sublinear_tf=True)),
        ]
    )
    return Pipeline([("features", features), ("model", LogisticRegression(C=intents["C"], max_iter=5000))])


def load_intents(path: str) -> pd.DataFrame:
    """The intents CSV (text, intent, language); a clear error when it cannot be used."""
    frame = pd.read_csv(resolve_path(path))
    missing = {"text", "intent", "language"} - set(frame.columns)
    if missing:
        raise DatasetError(f"{path}: missing column(s) {sorted(missing)}")
    return frame


def fit_intents(intents: dict[str, Any]) -> IntentRun:
    """Split (stratified on intent and language), fit, predict the held-out messages."""
    frame = load_intents(intents["data"])
    strata = frame["intent"] + "/" + frame["language"]
    train, test = train_test_split(frame, test_size=intents["test_size"], random_state=intents["seed"], stratify=strata)
    pipeline = build_pipeline(intents).fit(train["text"].map(normalize_utterance), train["intent"])
    test = test.assign(predicted=pipeline.predict(test["text"].map(normalize_utterance)))
    return IntentRun(pipeline, test)


@one_line_errors
def main() -> None:
    import skops.io

    params = load_params()
    run = fit_intents(params["intents"])
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
