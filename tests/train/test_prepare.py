"""The prepare stage: normalisation, dropping empties and duplicates, stratified seeded splits."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.errors import DatasetError
from core.params import load_params
from train.prepare import TrainingScrubber, clean, normalise, split


def tickets(n_per_class: int, classes: tuple[str, ...] = ("Hardware", "Access", "Storage")) -> pd.DataFrame:
    rows = [(f"{label} ticket number {i}", label) for label in classes for i in range(n_per_class)]
    return pd.DataFrame(rows, columns=["text", "label"])


def test_normalise_folds_unicode_and_whitespace() -> None:
    assert normalise("  ｐrinter\u00a0 broken\n\tagain ") == "printer broken again"


def test_clean_drops_and_counts_empties_and_duplicates() -> None:
    frame = pd.DataFrame(
        {
            "text": ["printer broken", "printer  broken", "", " x ", "vpn down", "vpn down"],
            "label": ["Hardware", "Hardware", "Access", "Access", "Access", "Access"],
        }
    )
    kept, report = clean(frame, min_chars=3, languages=[])
    assert kept["text"].tolist() == ["printer broken", "vpn down"]
    assert report == {"rows_read": 6, "dropped_empty": 2, "dropped_duplicates": 2, "rows_kept": 2}


def test_clean_scrubs_every_ticket_before_dropping_duplicates() -> None:
    frame = pd.DataFrame(
        {
            "text": [
                "Hi, this is John Smith, my laptop screen is broken.",
                "Hi, this is Sarah Connor, my laptop screen is broken.",
                "Bonjour, je suis Marie Dubois, appelez-moi au 06 12 34 56 78.",
            ],
            "label": ["Hardware", "Hardware", "Access"],
        }
    )
    kept, report = clean(frame, min_chars=3, languages=[], scrub=TrainingScrubber(load_params()))
    assert kept["text"].tolist() == [
        "Hi, this is <PERSON>, my laptop screen is broken.",
        "Bonjour, je suis <PERSON>, appelez-moi au <PHONE_NUMBER>.",
    ]
    assert report["pii_replaced"] == {"PERSON": 3, "PHONE_NUMBER": 1}
    assert report["dropped_duplicates"] == 1  # the same ticket from two people is one ticket to the models


def test_clean_keeps_only_requested_languages() -> None:
    frame = pd.DataFrame({"text": ["hello there", "bonjour à tous"], "label": ["a", "b"], "language": ["en", "fr"]})
    kept, report = clean(frame, min_chars=3, languages=["fr"])
    assert kept["text"].tolist() == ["bonjour à tous"]
    assert report["dropped_other_language"] == 1


def test_split_is_stratified_disjoint_and_seeded() -> None:
    frame = tickets(50)
    parts = split(frame, val_size=0.1, test_size=0.2, seed=7)
    assert [len(parts[name]) for name in ("train", "val", "test")] == [105, 15, 30]
    for part in parts.values():
        assert part["label"].value_counts().nunique() == 1  # every class equally represented
    assert not set(parts["test"]["text"]) & set(parts["train"]["text"])
    again = split(frame, val_size=0.1, test_size=0.2, seed=7)
    assert again["test"]["text"].tolist() == parts["test"]["text"].tolist()


def test_split_names_classes_too_rare_to_stratify() -> None:
    frame = pd.concat([tickets(20), pd.DataFrame({"text": ["odd one"], "label": ["Purchase"]})])
    with pytest.raises(DatasetError, match="Purchase"):
        split(frame, val_size=0.1, test_size=0.1, seed=0)


def test_prepare_cli_reports_bad_data_in_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "tickets.csv"
    bad.write_text("Document,Topic\nprinter,Hardware\n")
    params = tmp_path / "params.yaml"
    repo = Path(__file__).resolve().parents[2]
    params.write_text((repo / "params.yaml").read_text().replace("data/starter/tickets.csv", str(bad)))
    result = subprocess.run(
        [sys.executable, "-m", "train.prepare", "--out", str(tmp_path / "out")],
        cwd=repo,
        env={**os.environ, "CALLCENTER_PARAMS": str(params)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"train.prepare: {bad}: no known column layout")
    assert not (tmp_path / "out").exists()
