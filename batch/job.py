"""A batch job: readable rows in fixed chunks -> one Parquet part per chunk, written atomically.

The output folder is a Parquet dataset (pandas, pyarrow, Spark and DuckDB read it as one table;
they skip the `_`-prefixed files). `_manifest.json` names what decides the output (input digest,
columns, chunking, models and rules); a rerun with the same manifest scores only the chunks whose
part is missing, so a killed job resumes where it stopped and ends with the same output.
"""

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from batch.output import ERROR_SCHEMA, SCHEMA
from batch.source import ROW, Source
from core.errors import ConfigError

MANIFEST, SUMMARY, SUCCESS = "_manifest.json", "_summary.json", "_SUCCESS"
ERRORS_DIR, ERRORS_FILE, READ_ERRORS = "_errors", "_errors.csv", "read.parquet"


class Scorer(Protocol):
    """Chunk of (row, id, text) -> (output rows, error rows)."""

    def score(self, chunk: pd.DataFrame) -> tuple[list[dict], list[dict]]: ...


# Chunks in, (chunk index, rows, errors) out, in order: in this process or over worker processes.
ScoreChunks = Callable[[Iterable[tuple[int, pd.DataFrame]]], Iterator[tuple[int, list[dict], list[dict]]]]


@dataclass(frozen=True)
class Layout:
    """Where the job writes."""

    out: Path

    def part(self, index: int) -> Path:
        return self.out / f"part-{index:05d}.parquet"

    def errors_part(self, index: int) -> Path:
        return self.out / ERRORS_DIR / f"part-{index:05d}.parquet"


def file_digest(path: Path) -> str:
    """sha256 of the input: a changed file never resumes an old job."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_atomically(table: pa.Table, path: Path) -> None:
    """Write to a hidden temporary name, then rename: a killed job never leaves a half-written part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def prepare_output(layout: Layout, manifest: dict[str, Any], overwrite: bool) -> None:
    """Start, resume (same manifest) or refuse (another job's output, or not a batch output at all)."""
    out, path = layout.out, layout.out / MANIFEST
    manifest = json.loads(json.dumps(manifest, default=str))  # compared as it is stored (tuples are lists)
    if out.exists() and any(out.iterdir()):
        if overwrite:
            shutil.rmtree(out)
        elif not path.is_file():
            raise ConfigError(f"{out}: exists and is not a batch output; choose an empty OUT or pass --overwrite")
        elif (found := json.loads(path.read_text())) != manifest:
            changed = sorted(key for key in manifest if found.get(key) != manifest[key])
            raise ConfigError(f"{out}: holds a job with other {changed}; pass --overwrite to start it again")
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    (out / SUCCESS).unlink(missing_ok=True)


def write_chunk(layout: Layout, index: int, rows: list[dict], errors: list[dict]) -> None:
    """The chunk's errors first, then its part: the part's presence is what marks the chunk done."""
    if errors:
        write_atomically(pa.Table.from_pylist(errors, schema=ERROR_SCHEMA), layout.errors_part(index))
    write_atomically(pa.Table.from_pylist(rows, schema=SCHEMA), layout.part(index))


def merge_errors(layout: Layout, read_errors: pd.DataFrame) -> int:
    """All error rows (unreadable and unscorable), sorted by row, into `_errors.csv`; returns their count."""
    write_atomically(
        pa.Table.from_pandas(read_errors, schema=ERROR_SCHEMA, preserve_index=False),
        layout.out / ERRORS_DIR / READ_ERRORS,
    )
    parts = sorted((layout.out / ERRORS_DIR).glob("*.parquet"))
    errors = pd.concat([pd.read_parquet(part) for part in parts]).sort_values(ROW, kind="stable")
    errors.to_csv(layout.out / ERRORS_FILE, index=False)
    return len(errors)


@dataclass
class Summary:
    """What a run did, printed at the end and written to `_summary.json`."""

    input: str
    output: str
    rows_read: int
    rows_scored: int
    rows_with_errors: int
    chunks: int
    chunks_resumed: int
    seconds: float
    rows_per_second: float

    def lines(self) -> list[str]:
        resumed = f", {self.chunks_resumed} already done" if self.chunks_resumed else ""
        return [
            f"batch: {self.rows_read} rows read from {self.input}: {self.rows_scored} scored, "
            f"{self.rows_with_errors} errors ({self.output}/{ERRORS_FILE})",
            f"batch: {self.chunks} parts in {self.output}{resumed}; "
            f"this run scored {self.rows_per_second:.1f} rows/s ({self.seconds:.1f} s)",
        ]


def run_job(
    source: Source,
    layout: Layout,
    manifest: dict,
    chunk_rows: int,
    score_chunks: ScoreChunks,
    overwrite: bool = False,
    progress: bool = True,
) -> Summary:
    """Score every chunk without a part yet, write parts and errors, then the summary and `_SUCCESS`."""
    prepare_output(layout, manifest, overwrite)
    tickets = source.tickets
    starts = range(0, max(len(tickets), 1), chunk_rows)  # one (empty) part at least: readers need a file
    todo = [
        (index, tickets.iloc[start : start + chunk_rows])
        for index, start in enumerate(starts)
        if not layout.part(index).is_file()
    ]
    done_rows = len(tickets) - sum(len(chunk) for _, chunk in todo)
    started = time.perf_counter()
    with tqdm(total=len(tickets), initial=done_rows, unit="rows", disable=not progress, smoothing=0.1) as bar:
        for index, rows, errors in score_chunks(todo):
            write_chunk(layout, index, rows, errors)
            bar.update(len(rows) + len(errors))
    seconds = time.perf_counter() - started
    summary = Summary(
        input=str(manifest["input"]),
        output=str(layout.out),
        rows_read=len(tickets) + len(source.errors),
        rows_scored=sum(pq.read_metadata(layout.part(index)).num_rows for index in range(len(starts))),
        rows_with_errors=merge_errors(layout, source.errors),
        chunks=len(starts),
        chunks_resumed=len(starts) - len(todo),
        seconds=seconds,
        rows_per_second=(len(tickets) - done_rows) / seconds if seconds > 0 else 0.0,
    )
    (layout.out / SUMMARY).write_text(json.dumps(summary.__dict__, indent=2) + "\n")
    (layout.out / SUCCESS).touch()
    return summary
