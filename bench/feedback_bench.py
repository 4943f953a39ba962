"""Corrections into training: 500 corrected mistakes, a retrain, macro-F1 before and after.

    python -m bench.feedback_bench [--data ../shared/data/it_service_tickets.csv] [--corrections 500]

The IT tickets are split into the pipeline's data (80 %) and later traffic (20 %). In a throwaway
project copy (own MLflow and BentoML stores) the TF-IDF chain trains on the pipeline's data; the
champion then classifies the later traffic, and `--corrections` of the tickets it gets wrong are
corrected (their true label) into the feedback file the desk's export stage writes. `dvc repro`
retrains with them. Printed: macro-F1 before and after on the pipeline's fixed test split and on the
later traffic's held-back mistakes (tickets like the corrected ones that were not corrected), and
where the gate put the new version.
"""

import argparse
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import mlflow.artifacts
import pandas as pd
from sklearn.model_selection import train_test_split

from core.columns import LABEL, TEXT
from core.params import load_params
from devkit.project import REPO, copy_project, run, set_params
from models.tfidf import TfidfPredictor
from train.data import load_tickets
from train.evaluate import proba_macro_f1


def version_predictor(version: str) -> TfidfPredictor:
    name = load_params()["registry"]["tfidf_model"]
    return TfidfPredictor(Path(mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/{version}")))


def macro_f1(model: TfidfPredictor, frame: pd.DataFrame) -> float:
    return proba_macro_f1(frame[LABEL], model.predict_proba(frame[TEXT].tolist()), model.labels)


def corrections(
    model: TfidfPredictor, traffic: pd.DataFrame, count: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`count` of the champion's mistakes on later traffic, corrected; and the mistakes held back."""
    proba = model.predict_proba(traffic[TEXT].tolist())
    predicted = pd.Series([model.labels[i] for i in proba.argmax(axis=1)], index=traffic.index)
    mistakes = traffic[predicted != traffic[LABEL]]
    corrected = mistakes.sample(n=min(count, len(mistakes) // 2), random_state=seed)
    return corrected, mistakes.drop(corrected.index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/it_service_tickets.csv")
    parser.add_argument("--corrections", type=int, default=500)
    parser.add_argument("--weight", type=float, help="feedback.weight for the retrain (default: params.yaml's)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    os.environ |= {"MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlflow.db'}", "BENTOML_HOME": str(work / "bentoml")}
    tickets = load_tickets(args.data, load_params()["data"]["layouts"])
    base, traffic = train_test_split(tickets, test_size=0.2, stratify=tickets[LABEL], random_state=args.seed)
    base.to_csv(work / "base.csv", index=False)
    project = copy_project(work / "project")
    set_params(project, {"data.path": str(work / "base.csv")})
    if args.weight is not None:
        set_params(project, {"feedback.weight": args.weight})
    run(["dvc", "repro", "train_tfidf"], project)
    before = version_predictor(json.loads((project / "metrics" / "tfidf.json").read_text())["version"])
    corrected, held_back = corrections(before, traffic, args.corrections, args.seed)
    feedback = corrected[[TEXT, LABEL]].assign(source="corrections", reviewed_at=datetime.now(UTC))
    target = project / load_params()["feedback"]["corrections_path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    feedback.to_parquet(target, index=False)
    run(["dvc", "repro", "train_tfidf"], project)
    after_metrics = json.loads((project / "metrics" / "tfidf.json").read_text())
    after = version_predictor(after_metrics["version"])
    test = pd.read_parquet(project / "data" / "processed" / "test.parquet")
    report = json.loads((project / "data" / "processed" / "prepare_report.json").read_text())
    print(
        f"corrections: {len(corrected)} of the champion's {len(corrected) + len(held_back)} mistakes on "
        f"{len(traffic)} later tickets; {report['feedback_trained']} trained on, {report['feedback_held_out']} held out"
    )
    slices = {
        "the fixed test split": test,
        "later tickets not corrected": traffic.drop(corrected.index),
        "held-back mistakes (0 before, by construction)": held_back,
    }
    for name, frame in slices.items():
        scores = f"{macro_f1(before, frame):.4f} before, {macro_f1(after, frame):.4f} after"
        print(f"macro-F1 on {name} ({len(frame)} tickets): {scores}")
    print(f"gate: version {after_metrics['version']} -> {after_metrics['alias']}; work dir {work}")


if __name__ == "__main__":
    main()
