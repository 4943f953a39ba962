"""Score chunks over worker processes, each with its own pipeline and models (spaCy is per process anyway).

Workers are spawned (not forked: presidio, spaCy and ONNX Runtime are not fork-safe once loaded). They
leave when the job's process does, even killed with SIGKILL: each pool worker closes the queue ends it
does not use, so its next read or write fails once the parent is gone (tests/batch checks it).
"""

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from batch.job import ScoreChunks, Scorer
from batch.local import LocalScorer
from core.params import load_params

# One core per worker: single-threaded BLAS/OpenMP pools, so N workers do not fight over N cores.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_scorer: LocalScorer | None = None


def start_worker() -> None:
    """Pool initializer: build the pipeline and load the models once per worker."""
    global _scorer
    _scorer = LocalScorer(load_params())


def score_in_worker(task: tuple[int, pd.DataFrame]) -> tuple[int, list[dict], list[dict]]:
    index, chunk = task
    rows, errors = _scorer.score(chunk)
    return index, rows, errors


def in_process(make_scorer: Callable[[], Scorer]) -> ScoreChunks:
    """Chunks scored one after another in this process, by a scorer made when the first chunk comes."""

    def score_chunks(todo: Iterable[tuple[int, pd.DataFrame]]) -> Iterator[tuple[int, list[dict], list[dict]]]:
        scorer = None
        for index, chunk in todo:
            scorer = scorer or make_scorer()
            yield index, *scorer.score(chunk)

    return score_chunks


def over_processes(workers: int) -> ScoreChunks:
    """Chunks scored by `workers` processes, results in chunk order (parts are written in order)."""

    def score_chunks(todo: Iterable[tuple[int, pd.DataFrame]]) -> Iterator[tuple[int, list[dict], list[dict]]]:
        context = multiprocessing.get_context("spawn")
        for name, value in ONE_THREAD.items():  # inherited by the spawned workers; a user's setting wins
            os.environ.setdefault(name, value)
        with context.Pool(workers, initializer=start_worker) as pool:
            yield from pool.imap(score_in_worker, todo)

    return score_chunks
