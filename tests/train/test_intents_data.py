"""The intents dataset as the `train_intents` stage reads it: each message once, no message on both sides
of the split, and messages pandas would otherwise read as missing values."""

from pathlib import Path

import pytest

from core.errors import DatasetError
from train.intents import load_intents, split_intents

ROWS = [
    ("Close ticket 12!", "close"),
    ("close ticket 7", "close"),
    ("please close ticket 3", "close"),
    ("close ticket 3, please", "close"),
    ("nan", "cancel"),
    ("none", "other"),
]


def write(path: Path, rows: list[tuple[str, str]]) -> str:
    lines = ["text,intent,language", *(f'"{text}",{intent},en' for text, intent in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_messages_that_read_the_same_are_kept_once_and_nan_is_a_message(tmp_path: Path) -> None:
    frame = load_intents(write(tmp_path / "intents.csv", ROWS))
    assert frame["text"].tolist() == ["Close ticket 12!", "please close ticket 3", "nan", "none"]


def test_the_same_message_under_two_intents_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="two intents"):
        load_intents(write(tmp_path / "intents.csv", [*ROWS, ("close ticket 99", "delete")]))


def test_a_message_keeps_its_side_of_the_split_as_rows_are_added(tmp_path: Path) -> None:
    params = {"test_size": 0.5, "seed": 42}
    rows = [(f"message {'abcdefghijklmnopqrst'[i]} {'uvwxyz'[i % 6]}", "other") for i in range(20)]
    _, before = split_intents(load_intents(write(tmp_path / "a.csv", rows)), params)
    assert 0 < len(before) < len(rows)
    more = rows + [(f"another {text}", "other") for text, _ in rows]
    train, after = split_intents(load_intents(write(tmp_path / "b.csv", more)), params)
    assert set(before["text"]) == set(after["text"]) & {text for text, _ in rows}
    assert not set(train["key"]) & set(after["key"])
