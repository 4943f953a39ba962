"""Accuracy, routing share and latency of the served agent next to each model alone and the in-process pipeline.

    python -m bench.agent_bench --samples 400 --latency-samples 100           # serves the agent itself
    python -m bench.agent_bench --url http://127.0.0.1:3000 --samples 400     # or measures a running one

Run in the project whose `dvc repro` trained both models (the test split and the served champions
are read from there). Targets: agent macro-F1 >= the better model, <= 40 % of English tickets sent
to the transformer, agent p50 < 1.5x the in-process pipeline on the TF-IDF route.
"""

import argparse
import asyncio
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

from bench.serving import time_calls, time_http
from core.columns import LABEL, TEXT
from core.names import ModelName
from core.params import load_params
from devkit.servers import serve
from router.pipeline import ModelAnswer, TicketPipeline
from train.champions import Predictor, aligned_proba, served_predictors
from train.evaluate import proba_macro_f1
from train.prepare import load_splits
from train.tracking import configure_mlflow

SENT = {ModelName.TRANSFORMER, ModelName.ENSEMBLE}


def in_process_call(pipeline: TicketPipeline, predictors: dict[ModelName, Predictor]) -> Callable[[str], str]:
    """scrub + detect + predict + route of one ticket, in this process, with the same champions."""

    def asker(name: ModelName) -> Callable:
        predictor = predictors[name]

        async def ask(batch: list[str]) -> list[ModelAnswer]:
            rows = predictor.predict_proba(batch)
            return [ModelAnswer(dict(zip(predictor.labels, row, strict=True))) for row in rows]

        return ask

    def classify(text: str) -> str:
        tickets = [pipeline.prepare(text)]
        result = asyncio.run(pipeline.classify(tickets, asker(ModelName.TFIDF), asker(ModelName.TRANSFORMER)))
        return result.answers[0].decision.model

    return classify


def served(url: str, texts: list[str], batch: int) -> list[dict]:
    """The served agent's answers, through /classify_batch."""
    answers = []
    for start in range(0, len(texts), batch):
        response = httpx.post(f"{url}/classify_batch", json={"texts": texts[start : start + batch]}, timeout=300)
        response.raise_for_status()
        answers += response.json()
    return answers


def accuracy_report(
    frame: pd.DataFrame, predictors: dict[ModelName, Predictor], answers: list[dict], english: np.ndarray
) -> None:
    y_true = frame[LABEL].astype(str).to_numpy()
    labels, proba = aligned_proba(predictors, frame[TEXT].tolist())
    agent = np.array([answer["category"] for answer in answers])
    sent = np.array([answer["model"] in SENT for answer in answers])
    one_hot = (agent[:, None] == np.asarray(labels)[None, :]).astype(float)
    scores = {str(name): proba_macro_f1(y_true, matrix, labels) for name, matrix in {**proba, "agent": one_hot}.items()}
    print(f"macro-F1 on {len(frame)} test tickets: " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
    share_en = sent[english].mean() if english.any() else float("nan")
    print(f"sent to the transformer: {sent.mean():.1%} of all tickets, {share_en:.1%} of English ones")


def latency_report(url: str, texts: list[str], on_tfidf: list[str], classify: Callable, clients: int) -> None:
    """Agent over HTTP vs the in-process pipeline: all tickets, then the TF-IDF route only."""
    rows = {
        "agent, all tickets": time_http(f"{url}/classify", [{"text": t} for t in texts], 1),
        f"agent, {clients} clients": time_http(f"{url}/classify", [{"text": t} for t in texts], clients),
        "in-process, all tickets": time_calls(lambda i: classify(texts[i]), len(texts)),
        "agent, TF-IDF route": time_http(f"{url}/classify", [{"text": t} for t in on_tfidf], 1),
        "in-process, TF-IDF route": time_calls(lambda i: classify(on_tfidf[i]), len(on_tfidf)),
    }
    for name, timing in rows.items():
        print(f"  {name:<26} {timing}")
    ratio = rows["agent, TF-IDF route"].p50_ms / rows["in-process, TF-IDF route"].p50_ms
    print(f"agent / in-process p50 on the TF-IDF route: {ratio:.2f}x (target < 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running agent; default: serve bentos.agent_service:TicketAgent here")
    parser.add_argument("--samples", type=int, default=400, help="test tickets for accuracy")
    parser.add_argument("--latency-samples", type=int, default=100, help="tickets timed one by one")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel clients for throughput")
    args = parser.parse_args()
    params = load_params()
    configure_mlflow(params["tracking"])
    test = load_splits()["test"]
    frame = test.sample(n=min(args.samples, len(test)), random_state=params["split"]["seed"])
    texts = frame[TEXT].astype(str).tolist()
    predictors = served_predictors(params["registry"])
    pipeline = TicketPipeline(params)
    english = np.array([pipeline.detector.detect(text) == "en" for text in texts])
    server = (
        nullcontext((None, args.url, None))
        if args.url
        else serve("bentos.agent_service:TicketAgent", Path.cwd(), timeout=240)
    )
    with server as (_, url, _):
        answers = served(url, texts, params["serving"]["max_batch_texts"])
        accuracy_report(frame, predictors, answers, english)
        timed = texts[: args.latency_samples]
        on_tfidf = [text for text, answer in zip(texts, answers, strict=True) if answer["model"] == ModelName.TFIDF]
        classify = in_process_call(pipeline, predictors)
        latency_report(url, timed, on_tfidf[: args.latency_samples], classify, args.concurrency)


if __name__ == "__main__":
    main()
