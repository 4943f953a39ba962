"""The export_feedback stage: the desk's reviews of live tickets become the rows `prepare` merges."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from devkit.project import REPO, run
from devkit.stores import fresh_database_url, migrated_database
from store.database import DATABASE_URL_ENV, Database
from store.tickets import TicketChange, create_ticket, delete_ticket, update_ticket
from tests.store.conftest import draft
from train.feedback import load_feedback


def review(database: Database, text: str, category: str | None, deleted: bool = False) -> None:
    """Store a ticket the model answered Hardware, reviewed to `category` (none: never reviewed)."""
    with database.transaction(write=True) as session:
        ticket, _ = create_ticket(session, draft(text))
        if category is not None:
            ticket = update_ticket(session, ticket.id, ticket.version, TicketChange(category=category, reviewer="ana"))
        if deleted:
            delete_ticket(session, ticket.id, ticket.version)


def export(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess:
    """`python -m train.export_feedback` with the feedback file in tmp_path and the store at `database_url`."""
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    params["feedback"]["corrections_path"] = str(tmp_path / "feedback" / "corrections.parquet")
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    env = {"CALLCENTER_PARAMS": str(tmp_path / "params.yaml"), DATABASE_URL_ENV: database_url}
    command = [sys.executable, "-m", "train.export_feedback"]
    return subprocess.run(command, cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_reviews_of_live_tickets_are_exported_with_their_stored_text_label_and_model_version(tmp_path: Path) -> None:
    url = fresh_database_url("sqlite", tmp_path)
    with migrated_database(url) as database:
        review(database, "my <PERSON> laptop screen is broken", "Hardware")  # a confirmation
        review(database, "cannot reach <URL> from the office", "Network")  # a correction
        review(database, "badge for <PERSON> please", "Access", deleted=True)  # deleted: never trained on
        review(database, "printer jammed again", None)  # not reviewed
        review(database, "cannot reach <URL> from the office", "Access")  # a later review of the same text
    result = export(tmp_path, url)
    assert result.returncode == 0, result.stderr
    assert "2 corrections and 1 confirmations of 2 texts" in result.stdout
    rows = pd.read_parquet(tmp_path / "feedback" / "corrections.parquet")
    assert rows[["text", "label", "kind", "predicted"]].values.tolist() == [
        ["my <PERSON> laptop screen is broken", "Hardware", "confirmation", "Hardware"],
        ["cannot reach <URL> from the office", "Network", "correction", "Hardware"],
        ["cannot reach <URL> from the office", "Access", "correction", "Hardware"],
    ]
    assert set(rows["model_version"]) == {"ticket-tfidf:v1-abc"} and rows["reviewed_at"].is_monotonic_increasing
    assert str(rows["reviewed_at"].dt.tz) == "UTC"
    # What prepare reads: one row per text, the latest review winning, as feedback from the desk.
    merged = load_feedback({"corrections_path": str(tmp_path / "feedback" / "corrections.parquet")})
    assert dict(zip(merged["text"], merged["label"], strict=True)) == {
        "my <PERSON> laptop screen is broken": "Hardware",
        "cannot reach <URL> from the office": "Access",
    }
    assert set(merged["source"]) == {"corrections"}


def test_without_a_desk_database_an_empty_file_is_written_and_said(tmp_path: Path) -> None:
    missing = tmp_path / "no-desk.db"
    result = export(tmp_path, f"sqlite:///{missing}")
    assert result.returncode == 0, result.stderr
    assert f"no desk database at {missing}: no reviews" in result.stdout
    assert not missing.exists()  # asking did not create an empty database
    rows = pd.read_parquet(tmp_path / "feedback" / "corrections.parquet")
    assert rows.empty and list(rows.columns) == ["text", "label", "source", "kind", "predicted", "model_version",
                                                 "reviewed_at"]  # fmt: skip


def test_an_unreachable_database_fails_the_stage_in_one_line(tmp_path: Path) -> None:
    result = export(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/desk")
    assert result.returncode == 1
    assert result.stderr.startswith("train.export_feedback: the ticket store (postgresql+psycopg://nobody@127.0.0.1:1")
    assert "Traceback" not in result.stderr and not (tmp_path / "feedback" / "corrections.parquet").exists()


def test_prepare_runs_after_the_export_in_the_pipeline(project_copy: Path) -> None:
    planned = run(["dvc", "repro", "--dry", "--force", "prepare"], project_copy).stdout  # whatever ran before
    assert 0 <= planned.index("Running stage 'export_feedback'") < planned.index("Running stage 'prepare'")
