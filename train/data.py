"""Turn a ticket file (CSV or Parquet) into validated (text, label[, language, priority]) rows."""

from pathlib import Path
from typing import Any

import pandas as pd

from core.columns import LABEL, LANGUAGE, PRIORITY, TEXT
from core.errors import DatasetError
from core.layouts import join_text

READERS = {".csv": pd.read_csv, ".parquet": pd.read_parquet}


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, turning every failure into a DatasetError naming the file."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DatasetError(f"{path}: unsupported file type {path.suffix!r}; expected .csv or .parquet")
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    try:
        frame = reader(path)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise DatasetError(f"{path}: cannot be read ({error})") from error
    if frame.empty:
        raise DatasetError(f"{path}: the file has no rows")
    return frame


def pick_layout(frame: pd.DataFrame, layouts: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    """Return the first layout whose text and label columns are all present."""
    for layout in layouts:
        if set(layout["text"]) | {layout["label"]} <= set(frame.columns):
            return layout
    expected = "; ".join(f"{lay['name']}: {lay['text'] + [lay['label']]}" for lay in layouts)
    raise DatasetError(
        f"{path}: no known column layout fits columns {list(frame.columns)}. Expected one of: {expected}"
    )


def to_tickets(frame: pd.DataFrame, layout: dict[str, Any]) -> pd.DataFrame:
    """Map a raw frame to the canonical columns; missing optional columns are left out."""
    tickets = pd.DataFrame({TEXT: join_text(frame, layout["text"]), LABEL: frame[layout["label"]]})
    for canonical in (LANGUAGE, PRIORITY):
        column = layout.get(canonical)
        if column and column in frame.columns:
            tickets[canonical] = frame[column].astype("string").str.strip().str.lower()
    return tickets


def validate(tickets: pd.DataFrame, path: Path, layout: dict[str, Any]) -> None:
    """Reject labels that are missing, texts that are all empty, and single-class data."""
    label_column = layout["label"]
    missing_labels = int(tickets[LABEL].isna().sum())
    if missing_labels:
        raise DatasetError(f"{path}: column {label_column!r} has {missing_labels} empty labels")
    if (tickets[TEXT] == "").all():
        raise DatasetError(f"{path}: text column(s) {layout['text']} are empty in every row")
    classes = tickets[LABEL].nunique()
    if classes < 2:
        raise DatasetError(f"{path}: column {label_column!r} has {classes} class; at least 2 are needed")


def load_tickets(path: str | Path, layouts: list[dict[str, Any]]) -> pd.DataFrame:
    """Load, map and validate a ticket file."""
    path = Path(path)
    frame = read_table(path)
    layout = pick_layout(frame, layouts, path)
    tickets = to_tickets(frame, layout)
    validate(tickets, path, layout)
    tickets[LABEL] = tickets[LABEL].astype(str)
    return tickets


def load_texts(path: str | Path, layouts: list[dict[str, Any]], text_columns: list[str] | None = None) -> pd.DataFrame:
    """Unlabelled tickets: the `text` column of a file, from `text_columns` or the first layout whose text fits."""
    path = Path(path)
    frame = read_table(path)
    if text_columns is None:
        fitting = [layout for layout in layouts if set(layout["text"]) <= set(frame.columns)]
        if not fitting:
            expected = "; ".join(f"{layout['name']}: {layout['text']}" for layout in layouts)
            raise DatasetError(f"{path}: no text columns of a known layout in {list(frame.columns)} ({expected})")
        text_columns = fitting[0]["text"]
    missing = [column for column in text_columns if column not in frame.columns]
    if missing:
        raise DatasetError(f"{path}: missing text column(s) {missing}; the file has {list(frame.columns)}")
    texts = pd.DataFrame({TEXT: join_text(frame, text_columns)})
    texts = texts[texts[TEXT] != ""].reset_index(drop=True)
    if texts.empty:
        raise DatasetError(f"{path}: text column(s) {text_columns} are empty in every row")
    return texts
