"""Topic discovery -> promotion -> retraining, end to end on the IT tickets with one category hidden.

    python -m bench.topics_bench [--data ../shared/data/it_service_tickets.csv] [--hidden Purchase]

The hidden category's training tickets lose their labels and join a pool of unlabelled tickets
where they are a minority (`--hidden-share`). In a throwaway project copy (own MLflow and BentoML
stores) the TF-IDF chain trains on the labelled rest, `python -m train.topics` runs on the pool,
the first proposed new category is promoted under the hidden name, and the pipeline retrains.
Scored on a held-out 20 % of the data that keeps every label. Targets: the promoted topic(s) have
purity >= 0.9 and recall >= 0.7 of the hidden class; after extension the new class reaches F1 >= 0.8
while the other classes lose at most 1 point of macro-F1.
"""

import argparse
import json
import os
import tempfile
from pathlib import Path

import mlflow.artifacts
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from core.columns import LABEL, TEXT
from core.params import load_params
from devkit.project import REPO, copy_project, run, set_params
from models.tfidf import TfidfPredictor
from train.data import load_tickets

TARGETS = {"purity": 0.9, "recall": 0.7, "new_class_f1": 0.8, "known_macro_f1_drop": 0.01}


def build_data(args: argparse.Namespace, work: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """labelled.csv and pool.csv in `work`; returns (pool with its true labels, the held-out test split)."""
    tickets = load_tickets(args.data, load_params()["data"]["layouts"])
    development, test = train_test_split(tickets, test_size=0.2, stratify=tickets[LABEL], random_state=args.seed)
    hidden = development[development[LABEL] == args.hidden]
    known = development[development[LABEL] != args.hidden]
    pool_known = known.sample(n=round(len(hidden) * (1 - args.hidden_share) / args.hidden_share), random_state=0)
    pool = pd.concat([hidden, pool_known]).sample(frac=1.0, random_state=0).reset_index(drop=True)
    known.drop(pool_known.index)[[TEXT, LABEL]].to_csv(work / "labelled.csv", index=False)
    pool[[TEXT]].rename(columns={TEXT: "Document"}).to_csv(work / "pool.csv", index=False)
    return pool, test


def champion_predictor(project: Path, version: str) -> TfidfPredictor:
    """The TF-IDF model version the last training run registered, run by the serving runtime."""
    name = load_params()["registry"]["tfidf_model"]
    return TfidfPredictor(Path(mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/{version}")))


def scores(model: TfidfPredictor, test: pd.DataFrame, hidden: str) -> dict[str, float]:
    """F1 of the hidden class, and macro-F1 over the other classes on their own test tickets."""
    proba = model.predict_proba(test[TEXT].tolist())
    predicted = pd.Series([model.labels[i] for i in proba.argmax(axis=1)], index=test.index)
    known = test[LABEL] != hidden
    known_labels = sorted(set(test[LABEL][known]))
    return {
        "new_class_f1": float(f1_score(test[LABEL] == hidden, predicted == hidden)),
        "known_macro_f1": float(
            f1_score(test[LABEL][known], predicted[known], labels=known_labels, average="macro", zero_division=0)
        ),
    }


def topic_quality(project: Path, pool: pd.DataFrame, hidden: str, topic_ids: list[int]) -> dict[str, float]:
    """Purity and recall of the hidden class among the tickets of `topic_ids`."""
    assignments = pd.read_parquet(project / "reports" / "topics" / "assignments.parquet")
    chosen = assignments["topic"].isin(topic_ids).to_numpy()
    is_hidden = (pool[LABEL] == hidden).to_numpy()
    return {
        "size": int(chosen.sum()),
        "purity": float(is_hidden[chosen].mean()) if chosen.any() else 0.0,
        "recall": float(is_hidden[chosen].sum() / is_hidden.sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/it_service_tickets.csv")
    parser.add_argument("--hidden", default="Purchase")
    parser.add_argument("--hidden-share", type=float, default=0.15, help="the hidden class's share of the pool")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="topics-bench-"))
    os.environ |= {"MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlflow.db'}", "BENTOML_HOME": str(work / "bentoml")}
    pool, test = build_data(args, work)
    project = copy_project(work / "project")
    set_params(project, {"data.path": str(work / "labelled.csv")})
    run(["dvc", "repro", "train_tfidf"], project)
    before = json.loads((project / "metrics" / "tfidf.json").read_text())
    result = run(["python", "-m", "train.topics", "--input", str(work / "pool.csv")], project)
    print(result.stdout)
    merges = json.loads((project / "reports" / "topics" / "topics.json").read_text())["merges"]
    if not merges:
        raise SystemExit("topics_bench: discovery proposed no new category")
    quality = topic_quality(project, pool, args.hidden, merges[0])
    ids = [str(topic) for topic in merges[0]]
    run(["python", "-m", "train.topics", "promote", "--topics", *ids, "--name", args.hidden], project)
    run(["dvc", "repro", "train_tfidf"], project)
    after = json.loads((project / "metrics" / "tfidf.json").read_text())
    old, new = (scores(champion_predictor(project, run_["version"]), test, args.hidden) for run_ in (before, after))
    print(f"\npool: {len(pool)} tickets, {args.hidden} {(pool[LABEL] == args.hidden).mean():.1%} of them")
    print(
        f"promoted topics {merges[0]} ({quality['size']} tickets): purity {quality['purity']:.3f} "
        f"(target >= {TARGETS['purity']}), recall {quality['recall']:.3f} (target >= {TARGETS['recall']})"
    )
    print(
        f"held-out test ({len(test)} tickets): {args.hidden} F1 {new['new_class_f1']:.3f} after extension "
        f"(target >= {TARGETS['new_class_f1']})"
    )
    drop = old["known_macro_f1"] - new["known_macro_f1"]
    print(
        f"macro-F1 of the other classes: {old['known_macro_f1']:.4f} before, {new['known_macro_f1']:.4f} after "
        f"(drop {drop:+.4f}; target <= {TARGETS['known_macro_f1_drop']})"
    )
    print(f"gate: {after['alias']} (version {after['version']}); work dir {work}")


if __name__ == "__main__":
    main()
