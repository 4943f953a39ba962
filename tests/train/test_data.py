"""Loading and validating ticket files: every failure names the file and the column."""

from pathlib import Path

import pandas as pd
import pytest

from core.errors import DatasetError
from core.params import load_params
from train.data import load_tickets

LAYOUTS = load_params()["data"]["layouts"]


def write_csv(path: Path, rows: dict[str, list]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_loads_it_layout_from_csv_and_parquet(tmp_path: Path) -> None:
    rows = {"Document": ["printer jammed", "reset my password"], "Topic_group": ["Hardware", "Access"]}
    csv = write_csv(tmp_path / "it.csv", rows)
    parquet = tmp_path / "it.parquet"
    pd.DataFrame(rows).to_parquet(parquet)
    for path in (csv, parquet):
        tickets = load_tickets(path, LAYOUTS)
        assert list(tickets["text"]) == rows["Document"]
        assert list(tickets["label"]) == rows["Topic_group"]
        assert "language" not in tickets


def test_multilingual_layout_joins_subject_and_body_and_keeps_language_and_priority(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "multi.csv",
        {
            "subject": ["Drucker defekt", None],
            "body": ["Der Drucker druckt nicht.", "Mon compte est bloqué."],
            "queue": ["Technical Support", "IT Support"],
            "priority": ["High", "low"],
            "language": ["de", "FR"],
        },
    )
    tickets = load_tickets(path, LAYOUTS)
    assert tickets["text"].tolist() == ["Drucker defekt\n\nDer Drucker druckt nicht.", "Mon compte est bloqué."]
    assert tickets["language"].tolist() == ["de", "fr"]
    assert tickets["priority"].tolist() == ["high", "low"]


def test_missing_label_column_names_file_and_expected_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", {"Document": ["a ticket"], "Topic": ["Hardware"]})
    with pytest.raises(DatasetError, match=r"bad\.csv.*Topic_group"):
        load_tickets(path, LAYOUTS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "cannot be read|no rows"),
        ("Document,Topic_group\n", "no rows"),
        ("Document,Topic_group\n,Hardware\n,Access\n", "empty in every row"),
        ("Document,Topic_group\nprinter broken,Hardware\nscreen dead,Hardware\n", "1 class"),
        ("Document,Topic_group\nprinter broken,\nscreen dead,Hardware\n", "1 empty labels"),
    ],
)
def test_unusable_files_raise_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(content)
    with pytest.raises(DatasetError, match=rf"tickets\.csv.*({message})"):
        load_tickets(path, LAYOUTS)


def test_broken_parquet_and_unknown_suffix_and_missing_file_are_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"\x00not parquet at all")
    with pytest.raises(DatasetError, match=r"broken\.parquet: cannot be read"):
        load_tickets(broken, LAYOUTS)
    with pytest.raises(DatasetError, match=r"unsupported file type '\.xlsx'"):
        load_tickets(tmp_path / "tickets.xlsx", LAYOUTS)
    with pytest.raises(DatasetError, match=r"absent\.csv: file not found"):
        load_tickets(tmp_path / "absent.csv", LAYOUTS)


def test_starter_dataset_meets_its_promises() -> None:
    """The shipped dataset: 8 IT classes, >= 50 tickets each, in English, French and Arabic."""
    params = load_params()
    tickets = load_tickets(Path(__file__).resolve().parents[2] / params["data"]["path"], LAYOUTS)
    counts = tickets["label"].value_counts()
    assert set(counts.index) == {
        "Hardware",
        "HR Support",
        "Access",
        "Miscellaneous",
        "Storage",
        "Purchase",
        "Internal Project",
        "Administrative rights",
    }
    assert counts.min() >= 50
    assert set(tickets["language"]) == {"en", "fr", "ar"}
    assert not tickets["text"].duplicated().any()
