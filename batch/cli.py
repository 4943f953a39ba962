"""Classify a whole file of tickets: CSV or Parquet in, a Parquet dataset out (`callcenter batch IN OUT`).

    python -m batch tickets.csv scored/                     # in-process, one worker per core
    python -m batch tickets.parquet scored/ --text-col body --id-col ticket_id
    python -m batch tickets.csv scored/ --url http://127.0.0.1:3000   # through a running agent
    python -m batch tickets.csv scored/ --spark local[2]              # on Apache Spark (batch.spark)

OUT gets one part per chunk (`part-NNNNN.parquet`), `_errors.csv` (rows that could not be read or
scored, with the reason), `_summary.json` and `_SUCCESS`. Run the same command again after a crash
or a kill: it scores only the chunks that have no part yet.
"""

import argparse
import os
from pathlib import Path
from typing import Any

from batch.job import Layout, ScoreChunks, Summary, file_digest, run_job
from batch.source import read_source
from core.errors import one_line_errors
from core.params import load_params


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="callcenter batch", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    # Strings, not Paths: with --spark they may be URIs (hdfs:///..., s3a://...), which Path would mangle.
    parser.add_argument("input", help="CSV or Parquet file of tickets")
    parser.add_argument("output", help="output folder (a Parquet dataset)")
    parser.add_argument(
        "--text-col", action="append", help="text column (repeat to join several); default: data.layouts"
    )
    parser.add_argument("--id-col", help="ticket id column; default: `id` if present, else the row number")
    parser.add_argument("--url", help="score through the agent served at this URL instead of in-process")
    parser.add_argument("--spark", metavar="MASTER", help="run on Apache Spark, e.g. local[2] or yarn")
    parser.add_argument("--workers", type=int, help="in-process worker processes (default: batch.workers)")
    parser.add_argument("--chunk-rows", type=int, help="rows per output part (default: batch.chunk_rows)")
    parser.add_argument("--overwrite", action="store_true", help="discard an existing output of another job")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def worker_count(requested: int | None, params: dict[str, Any]) -> int:
    """--workers, else batch.workers; 0 means one per CPU core."""
    workers = requested if requested is not None else params["batch"]["workers"]
    return workers or os.cpu_count() or 1


def choose_scoring(args: argparse.Namespace, params: dict[str, Any]) -> tuple[dict[str, Any], ScoreChunks]:
    """(what identifies the scorer in the manifest, the chunk-scoring function)."""
    from batch.workers import in_process, over_processes

    if args.url:
        from batch.remote import HttpScorer

        scorer = HttpScorer(args.url, params)
        return scorer.fingerprint(), in_process(lambda: scorer)
    from batch.local import LocalScorer, local_fingerprint

    workers = worker_count(args.workers, params)
    score = over_processes(workers) if workers > 1 else in_process(lambda: LocalScorer(params))
    return local_fingerprint(params), score


def score_file(
    args: argparse.Namespace, params: dict[str, Any], scoring: tuple[dict, ScoreChunks] | None = None
) -> Summary:
    """Read, score (resuming a killed run of the same job) and write; `scoring` overrides the choice of scorer."""
    chunk_rows = args.chunk_rows or params["batch"]["chunk_rows"]
    path = Path(args.input)
    source = read_source(path, params["data"]["layouts"], args.text_col, args.id_col)
    fingerprint, score = scoring or choose_scoring(args, params)
    manifest = {
        "input": str(path.resolve()),
        "input_sha256": file_digest(path),
        "columns": {"text": source.columns.text, "id": source.columns.id},
        "chunk_rows": chunk_rows,
        **fingerprint,
    }
    layout = Layout(Path(args.output))
    return run_job(source, layout, manifest, chunk_rows, score, args.overwrite, not args.no_progress)


@one_line_errors
def main(argv: list[str] | None = None) -> None:
    """`callcenter batch IN OUT [options]`: score a file, print a summary; one line and exit code 1 on bad input."""
    args = parse_args(argv)
    params = load_params()
    if args.spark:
        from batch.spark import run_spark_job

        run_spark_job(args, params)
        return
    for line in score_file(args, params).lines():
        print(line)
