"""Ticket files to score, and the in-process scorer of a trained project copy."""

import argparse
import csv
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from batch.cli import parse_args, score_file
from batch.job import Summary
from batch.local import LocalScorer, local_fingerprint
from batch.workers import in_process
from devkit.project import REPO, absolute_params

PII_TICKET = "Hi, I am John Smith (john.smith@example.com, +44 20 7946 0958): my laptop screen is cracked."
PII_VALUES = ("John Smith", "john.smith@example.com", "+44 20 7946 0958")


def starter_rows(count: int) -> list[dict[str, str]]:
    """The first `count` starter tickets as (id, text) rows."""
    frame = pd.read_csv(REPO / "data" / "starter" / "tickets.csv").head(count)
    return [{"id": f"T{i:04d}", "text": text} for i, text in enumerate(frame["text"])]


def write_csv(path: Path, rows: list[dict[str, str]], extra_lines: tuple[str, ...] = ()) -> Path:
    """A CSV of (id, text) rows, plus raw lines appended as they are (e.g. a malformed record)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text"])
        writer.writeheader()
        writer.writerows(rows)
        for line in extra_lines:
            handle.write(line + "\n")
    return path


class ProjectScorer:
    """A project copy's served models and pipeline in this process, and jobs run with them."""

    def __init__(self, project: Path) -> None:
        self.params = absolute_params(project)
        self.scorer = LocalScorer(self.params)

    def run(self, source: Path, out: Path, *options: str) -> Summary:
        """`batch SOURCE OUT OPTIONS` in this process: with these models, or through the agent given by --url."""
        args: argparse.Namespace = parse_args([str(source), str(out), "--no-progress", *options])
        local = None if args.url else (local_fingerprint(self.params), in_process(lambda: self.scorer))
        return score_file(args, self.params, local)


def read_output(out: Path) -> pd.DataFrame:
    """The job's output dataset, in row order, maps as dicts (so equal outputs compare equal)."""
    frame = pq.read_table(out).to_pandas().sort_values("row").reset_index(drop=True)
    for column in ("scores", "priority_scores", "pii"):
        frame[column] = frame[column].map(lambda pairs: dict(pairs) if pairs is not None else None)
    return frame


@pytest.fixture(scope="module")
def starter(project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict) -> ProjectScorer:
    """The session project's served models (starter data: no priority model) and pipeline, in this process."""
    return ProjectScorer(project_copy)
