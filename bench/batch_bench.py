"""Batch throughput end to end (read, scrub, detect, route, models, write) in-process and through the agent.

    source /work/it-run/env.sh   # the stores of a project trained on the IT tickets
    python -m bench.batch_bench --served-from /work/it-run/project --rows 4000

Copies this code into a throwaway project with `served/` of a trained one (same stores, read only),
then runs `python -m batch` on IT tickets: in-process with 1 and N worker processes, and through
the agent served from that project (`--url`, or `/classify_batch` of an agent it starts). Figures
include process start and model loading. Target: >= 400 tickets/s on this 2-core machine.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import pandas as pd

from devkit.project import REPO, copy_project
from devkit.servers import serve
from router.pipeline import TicketPipeline

TARGET = 400


def project_with_models(served_from: Path) -> Path:
    """This code in a throwaway copy, serving what `served_from`'s import stages recorded."""
    project = copy_project(Path(tempfile.mkdtemp(prefix="batch-bench-")) / "project")
    shutil.copytree(served_from / "served", project / "served")
    return project


def run_batch(project: Path, source: Path, out: Path, *options: str) -> tuple[float, dict]:
    """Wall seconds of `python -m batch` and its summary."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "batch", str(source), str(out), "--no-progress", *options]
    subprocess.run(command, cwd=project, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, json.loads((out / "_summary.json").read_text())


def scrub_cost_ms(texts: list[str]) -> float:
    """Median ms per ticket of detect + scrub alone (the agent's own code), after one warm-up."""
    from core.params import load_params

    pipeline = TicketPipeline(load_params())
    pipeline.prepare(texts[0])
    timings = []
    for text in texts:
        started = time.perf_counter()
        pipeline.prepare(text)
        timings.append(1000 * (time.perf_counter() - started))
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--served-from", type=Path, required=True, help="a project whose `dvc repro` ran")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/it_service_tickets.csv")
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="a running agent; default: serve one from the throwaway project")
    args = parser.parse_args()
    project = project_with_models(args.served_from.resolve())
    tickets = pd.read_csv(args.data).sample(n=args.rows, random_state=0)
    source = project / "tickets.csv"
    tickets.to_csv(source, index=False)
    print(
        f"{args.rows} tickets from {args.data}; models: {sorted(p.name for p in (project / 'served').glob('*.json'))}"
    )
    results = {}
    for workers in sorted({1, args.workers}):
        results[f"in-process, {workers} worker(s)"] = run_batch(
            project, source, project / f"out-{workers}", "--workers", str(workers)
        )
    server = (
        nullcontext((None, args.url, None))
        if args.url
        else serve("bentos.agent_service:TicketAgent", project, timeout=300)
    )
    with server as (_, url, _):
        results["HTTP, agent /classify_batch"] = run_batch(project, source, project / "out-http", "--url", url)
    print(f"\n{'mode':<30} {'wall s':>8} {'tickets/s (wall)':>17} {'tickets/s (scoring)':>20}")
    for name, (wall, summary) in results.items():
        print(f"{name:<30} {wall:>8.1f} {args.rows / wall:>17.1f} {summary['rows_per_second']:>20.1f}")
    best = max(args.rows / wall for wall, _ in results.values())
    http = args.rows / results["HTTP, agent /classify_batch"][0]
    local = args.rows / results[f"in-process, {args.workers} worker(s)"][0]
    print(f"\nin-process ({args.workers} workers) / HTTP: {local / http:.2f}x")
    print(f"best: {best:.1f} tickets/s (target >= {TARGET})")
    cost = scrub_cost_ms(tickets["Document"].astype(str).tolist()[:300])
    print(f"detect + scrub alone: {cost:.1f} ms per ticket -> at most {1000 / cost:.0f} tickets/s per core")


if __name__ == "__main__":
    main()
