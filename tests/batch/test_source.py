"""Reading ticket files for batch scoring: layouts, ids, and rows that cannot be read (the job goes on)."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from batch.source import read_source
from core.errors import DatasetError
from core.params import load_params
from devkit.project import REPO
from train.data import load_tickets

LAYOUTS = load_params()["data"]["layouts"]


def write_bytes(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_broken_csv_records_become_error_rows_and_the_others_keep_their_numbers(tmp_path: Path) -> None:
    path = write_bytes(
        tmp_path / "tickets.csv",
        [
            b"id,text,label",
            b"t-0,My screen is broken,Hardware",
            b"t-1,too,many,fields,here",
            b'"t-2","A quoted ticket, with a comma\nand a second line",Access',
            b"t-3,caf\xe9 au lait machine (latin-1 byte),Purchase",
            b"t-4,,Storage",
            b"t-5",
            b"t-6,Please reset my VPN password,Access",
        ],
    )
    source = read_source(path, LAYOUTS)
    assert source.tickets["row"].tolist() == [0, 2, 4, 6]
    assert source.tickets["id"].tolist() == ["t-0", "t-2", "t-4", "t-6"]
    assert source.tickets["text"].tolist()[1] == "A quoted ticket, with a comma\nand a second line"
    assert source.tickets["text"].tolist()[2] == ""  # readable; the scorer refuses it as empty
    errors = source.errors.set_index("row")["reason"].to_dict()
    assert errors == {
        1: "expected 3 fields, found 5",
        3: "bytes that are not UTF-8 in its text or id",
        5: "expected 3 fields, found 1",
    }
    assert "café" not in source.errors.to_string() and "lait" not in source.errors.to_string()  # never the text


def test_texts_are_built_from_the_layout_columns_exactly_as_training_builds_them(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "subject": ["Login fails", None, "  Invoice  "],
            "body": ["Since this morning.", "No subject here", None],
            "queue": ["IT", "IT", "Billing"],
            "priority": ["high", "low", "medium"],
        }
    )
    frame.to_csv(tmp_path / "multi.csv", index=False)
    frame.to_parquet(tmp_path / "multi.parquet", index=False)
    trained = load_tickets(tmp_path / "multi.csv", LAYOUTS)["text"].tolist()
    for name in ("multi.csv", "multi.parquet"):
        source = read_source(tmp_path / name, LAYOUTS)
        assert source.columns.text == ["subject", "body"]
        assert source.tickets["text"].tolist() == trained
        assert source.tickets["id"].tolist() == ["0", "1", "2"]  # no id column: the row number


def test_chosen_text_and_id_columns_and_clear_errors_for_missing_ones(tmp_path: Path) -> None:
    pd.DataFrame({"ticket": ["A", "B"], "note": ["x", "y"], "ref": [10, 11]}).to_csv(tmp_path / "t.csv", index=False)
    source = read_source(tmp_path / "t.csv", LAYOUTS, ["note", "ticket"], "ref")
    assert source.tickets[["id", "text"]].values.tolist() == [["10", "x\n\nA"], ["11", "y\n\nB"]]
    with pytest.raises(DatasetError, match=r"no text columns of a known layout .* use --text-col"):
        read_source(tmp_path / "t.csv", LAYOUTS)
    with pytest.raises(DatasetError, match=r"no column \['nope'\]"):
        read_source(tmp_path / "t.csv", LAYOUTS, ["ticket"], "nope")
    pd.DataFrame({"text": [1, 2]}).to_parquet(tmp_path / "ints.parquet")
    with pytest.raises(DatasetError, match=r"text column\(s\) \['text'\] do not hold strings"):
        read_source(tmp_path / "ints.parquet", LAYOUTS)
    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DatasetError, match="cannot be read as Parquet"):
        read_source(tmp_path / "broken.parquet", LAYOUTS)


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.csv", "file not found"), ("tickets.json", "unsupported file type '.json'; expected .csv or .parquet")],
)
def test_the_command_exits_with_one_line_naming_the_file(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "tickets.json").write_text("{}")
    result = subprocess.run(
        [sys.executable, "-m", "batch", str(tmp_path / name), str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"batch: {tmp_path / name}: {message}"
    assert not (tmp_path / "out").exists()
