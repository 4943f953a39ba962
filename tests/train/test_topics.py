"""Topic discovery finds a new kind of ticket among known ones; promotion turns it into labelled rows."""

import json
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from core.params import load_params
from devkit.project import copy_project, run, set_params
from train.topics.discover import discover

KNOWN = {
    "Hardware": "laptop screen keyboard monitor dock charger broken cracked flickering",
    "Access": "password account locked login vpn token expired reset denied",
    "Storage": "disk quota full backup restore drive onedrive sync space",
}
NEW = "parking permit car park garage space level barrier visitor badge"  # no known category talks like this
TOPIC_PARAMS = {"n_topics": 4, "min_topic_size": 10, "expansion_folds": 3}


def tickets(words: str, n: int, seed: int) -> list[str]:
    random = np.random.default_rng(seed)
    vocabulary = words.split()
    return [f"hello team, {' '.join(random.choice(vocabulary, size=5))} please help" for _ in range(n)]


def labelled(n: int = 40) -> pd.DataFrame:
    rows = [(text, label) for i, (label, words) in enumerate(KNOWN.items()) for text in tickets(words, n, i)]
    return pd.DataFrame(rows, columns=["text", "label"])


def pool(new: int = 30, known: int = 60) -> tuple[pd.DataFrame, np.ndarray]:
    """Unlabelled tickets, the new kind a minority; and which rows are of the new kind."""
    texts = tickets(NEW, new, 10) + [t for i, w in enumerate(KNOWN.values()) for t in tickets(w, known, 20 + i)]
    return pd.DataFrame({"text": texts}), np.array([True] * new + [False] * (len(texts) - new))


def test_the_new_kind_of_ticket_is_proposed_pure_and_whole() -> None:
    frame, is_new = pool()
    discovery = discover(frame, labelled(), {**load_params()["topics"], **TOPIC_PARAMS})
    assert discovery.merges, "no new category proposed"
    members = discovery.members(discovery.merges[0])
    assert is_new[members].mean() >= 0.9 and is_new[members].sum() / is_new.sum() >= 0.9
    novel = [topic for topic in discovery.topics if topic.topic_id in discovery.merges[0]]
    assert all(topic.novelty > max(t.novelty for t in discovery.topics if t not in novel) for topic in novel)
    assert {"parking", "permit", "car", "park", "garage"} & set(novel[0].top_terms)


def test_a_pool_too_small_for_the_topics_is_refused_with_the_params_named() -> None:
    frame, _ = pool(new=5, known=5)
    with pytest.raises(ValueError, match=r"topics\.n_topics"):
        discover(frame, labelled(), {**load_params()["topics"], **TOPIC_PARAMS})


@pytest.mark.slow
def test_discovery_report_is_scrubbed_and_logged_and_promotion_labels_the_topic(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    set_params(project, {f"topics.{key}": value for key, value in TOPIC_PARAMS.items()})
    run(["dvc", "repro", "prepare"], project)
    frame, is_new = pool()
    frame.loc[0, "text"] = "hello, parking permit for my car please, write to jane.doe@example.com"
    frame.to_csv(tmp_path / "pool.csv", index=False)
    result = run(["python", "-m", "train.topics", "--input", str(tmp_path / "pool.csv"), "--text-col", "text"], project)
    out = project / "reports" / "topics"
    summary = json.loads((out / "topics.json").read_text())
    report = (out / "topics.md").read_text() + (out / "topics.html").read_text()
    assert summary["merges"] and "promote --topics" in report
    assert "jane.doe@example.com" not in report + result.stdout and "<EMAIL_ADDRESS>" in report
    runs = mlflow.search_runs(experiment_names=[load_params()["tracking"]["experiment"]], order_by=["start_time DESC"])
    run_id = runs[runs["tags.mlflow.runName"] == "topics"]["run_id"].iloc[0]
    logged = {artifact.path for artifact in MlflowClient().list_artifacts(run_id, "topics")}
    assert {"topics/topics.md", "topics/topics.html", "topics/topics.json"} <= logged

    ids = [str(topic) for topic in summary["merges"][0]]
    run(["python", "-m", "train.topics", "promote", "--topics", *ids, "--name", "Facilities"], project)
    promoted = pd.read_parquet(project / "data" / "feedback" / "promoted.parquet")
    assert (promoted["label"] == "Facilities").all() and len(promoted) >= 0.9 * is_new.sum()
    run(["dvc", "repro", "prepare"], project)
    report_after = json.loads((project / "data" / "processed" / "prepare_report.json").read_text())
    assert report_after["feedback_trained"] + report_after["feedback_held_out"] == len(promoted)
    assert "Facilities" in set(pd.read_parquet(project / "data" / "processed" / "train.parquet")["label"])


def test_promoting_a_topic_that_does_not_exist_names_the_known_ones(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assignments = project / "reports" / "topics" / "assignments.parquet"
    assignments.parent.mkdir(parents=True)
    pd.DataFrame({"text": ["a", "b"], "topic": [0, 3]}).to_parquet(assignments)
    with pytest.raises(RuntimeError, match=r"topics \[7\] are not in the last discovery \(its topics: \[0, 3\]\)"):
        run(["python", "-m", "train.topics", "promote", "--topics", "7", "--name", "X"], project)
