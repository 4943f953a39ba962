"""Read a ticket file (CSV or Parquet) into (row, id, text) rows, and the rows that cannot be read, with why.

CSV is read record by record with Python's csv module, so every record keeps its number in the file
whatever happens to its neighbours: a record with the wrong number of fields or bytes that are not
UTF-8 becomes an error row, and reading goes on. The text is built from the layout's columns as
training builds it (core.layouts); the raw text never goes to the errors file, only its row and id.
"""

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from core.errors import DatasetError
from core.layouts import join_text

ROW, ID, TEXT, REASON = "row", "id", "text", "reason"
ERROR_COLUMNS = [ROW, ID, REASON]
ID_DEFAULT = "id"


@dataclass(frozen=True)
class Columns:
    """Which input columns make the text, and which one (if any) holds the ticket id."""

    text: list[str]
    id: str | None


@dataclass
class Source:
    """What was read: scorable rows (row, id, text) in file order, and the unreadable ones (row, id, reason)."""

    tickets: pd.DataFrame
    errors: pd.DataFrame
    columns: Columns


def choose_columns(
    header: list[str], layouts: list[dict[str, Any]], text_cols: list[str] | None, id_col: str | None, path: Path
) -> Columns:
    """`--text-col`s, or the text columns of the first layout present; `--id-col`, or `id` when there is one."""
    if text_cols:
        text = list(text_cols)
    else:
        found = [layout["text"] for layout in layouts if set(layout["text"]) <= set(header)]
        if not found:
            known = "; ".join(f"{layout['name']}: {layout['text']}" for layout in layouts)
            raise DatasetError(f"{path}: no text columns of a known layout ({known}) in {header}; use --text-col")
        text = found[0]
    missing = [name for name in [*text, *([id_col] if id_col else [])] if name not in header]
    if missing:
        raise DatasetError(f"{path}: no column {missing} (columns: {header})")
    return Columns(text, id_col or (ID_DEFAULT if ID_DEFAULT in header else None))


def csv_records(path: Path) -> Iterator[tuple[int, list[str] | None, str]]:
    """(record number, fields or None, why not) for every record after the header."""
    csv.field_size_limit(sys.maxsize)  # a huge text is an error row (too long), not a broken file
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        number = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield number, None, f"malformed CSV at line {reader.line_num}: {error}"
            else:
                yield number, fields, ""
            number += 1


def csv_header(path: Path) -> list[str]:
    """The first record, the column names."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return next(csv.reader(handle), [])


def is_utf8(value: str) -> bool:
    """False when the file's bytes were not UTF-8 (kept as lone surrogates by `surrogateescape`)."""
    return not any("\udc80" <= char <= "\udcff" for char in value)


def read_csv(path: Path, layouts: list[dict], text_cols: list[str] | None, id_col: str | None) -> Source:
    """Readable CSV records as rows; the others as errors with the reason."""
    header = csv_header(path)
    columns = choose_columns(header, layouts, text_cols, id_col, path)
    wanted = [*columns.text, *([columns.id] if columns.id else [])]
    positions = [header.index(name) for name in wanted]
    good, bad = [], []
    for number, fields, problem in csv_records(path):
        if fields is not None and len(fields) != len(header):
            problem = f"expected {len(header)} fields, found {len(fields)}"
        elif fields is not None and not all(is_utf8(fields[i]) for i in positions):
            problem = "bytes that are not UTF-8 in its text or id"
        if problem:
            bad.append({ROW: number, ID: None, REASON: problem})
        else:
            good.append([number, *(fields[i] for i in positions)])
    frame = pd.DataFrame(good, columns=[ROW, *wanted])
    return Source(tickets(frame, columns), pd.DataFrame(bad, columns=ERROR_COLUMNS), columns)


def read_parquet(path: Path, layouts: list[dict], text_cols: list[str] | None, id_col: str | None) -> Source:
    """A Parquet file is readable as a whole or not at all; its text columns must hold strings."""
    try:
        schema = pq.read_schema(path)
        columns = choose_columns(schema.names, layouts, text_cols, id_col, path)
        frame = pq.read_table(path, columns=[*columns.text, *([columns.id] if columns.id else [])]).to_pandas()
    except (OSError, ValueError) as error:
        raise DatasetError(f"{path}: cannot be read as Parquet ({error})") from error
    not_text = [name for name in columns.text if not pd.api.types.is_string_dtype(frame[name])]
    if not_text:
        raise DatasetError(f"{path}: text column(s) {not_text} do not hold strings")
    frame.insert(0, ROW, range(len(frame)))
    return Source(tickets(frame, columns), pd.DataFrame(columns=ERROR_COLUMNS), columns)


def tickets(frame: pd.DataFrame, columns: Columns) -> pd.DataFrame:
    """(row, id, text): the id column as text, or the row number when the file has none."""
    ids = frame[columns.id].astype("string").fillna("") if columns.id else frame[ROW].astype(str)
    text = join_text(frame, columns.text) if len(frame) else pd.Series([], dtype=str)
    return pd.DataFrame({ROW: frame[ROW].astype("int64"), ID: ids.astype(str), TEXT: text})


READERS = {".csv": read_csv, ".parquet": read_parquet}


def read_source(
    path: Path, layouts: list[dict], text_cols: list[str] | None = None, id_col: str | None = None
) -> Source:
    """Read a CSV or Parquet ticket file; a clear error for a missing file or an unknown type."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DatasetError(f"{path}: unsupported file type {path.suffix!r}; expected .csv or .parquet")
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    return reader(path, layouts, text_cols, id_col)
