"""Batch throughput end to end (read, scrub, detect, route, models, write) in-process and through the agent.

    source /work/it-run/env.sh   # the stores of a project trained on the IT tickets
    python -m bench.batch_bench --served-from /work/it-run/project --rows 4000

Copies this code into a throwaway project with `served/` of a trained one (same stores, read only),
then runs `python -m batch` on IT tickets: in-process with 1 and N worker processes, and through
the agent served from that project (`--url`, or `/classify_batch` of an agent it starts). Figures
include process start and model loading. Besides wall time it counts the CPU seconds of every
process that worked (the job, its workers, the agent's services): on a shared machine, wall time
says how busy the neighbours were, CPU per ticket says what the job costs. Target: >= 400 tickets/s
on this 2-core machine.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq

from devkit.project import REPO, copy_project
from devkit.servers import serve
from router.pipeline import TicketPipeline

TARGET = 400
AGENT = "bentos.agent_service:TicketAgent"


def project_with_models(served_from: Path) -> Path:
    """This code in a throwaway copy, serving what `served_from`'s import stages recorded."""
    project = copy_project(Path(tempfile.mkdtemp(prefix="batch-bench-")) / "project")
    shutil.copytree(served_from / "served", project / "served")
    return project


@dataclass
class Run:
    """One batch run: wall seconds, CPU seconds of every process that worked for it, tickets/s once loaded."""

    wall: float
    cpu: float
    steady: float


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (a server's workers)."""
    processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


def children_cpu_seconds() -> float:
    """CPU seconds of this process's reaped children and their reaped children (a job and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def steady_rate(out: Path) -> float:
    """Tickets/s between the first and the last part written: the pace once the models are loaded."""
    parts = sorted(out.glob("part-*.parquet"), key=lambda part: part.stat().st_mtime)
    if len(parts) < 2:
        return float("nan")
    rows = sum(pq.read_metadata(part).num_rows for part in parts[1:])
    return rows / (parts[-1].stat().st_mtime - parts[0].stat().st_mtime)


def run_batch(project: Path, source: Path, out: Path, *options: str, server_pid: int | None = None) -> Run:
    """`python -m batch` timed: wall, CPU (the job, its workers and the server it calls), summary."""
    cpu_before = children_cpu_seconds() + (tree_cpu_seconds(server_pid) if server_pid else 0.0)
    started = time.perf_counter()
    command = [sys.executable, "-m", "batch", str(source), str(out), "--no-progress", *options]
    subprocess.run(command, cwd=project, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    cpu_after = children_cpu_seconds() + (tree_cpu_seconds(server_pid) if server_pid else 0.0)
    return Run(wall, cpu_after - cpu_before, steady_rate(out))


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
        out = project / f"out-{workers}"
        results[f"in-process, {workers} worker(s)"] = run_batch(project, source, out, "--workers", str(workers))
    server = nullcontext((None, args.url, None)) if args.url else serve(AGENT, project, timeout=300)
    with server as (_, url, process):
        pid = process.pid if process else None
        results["HTTP, agent /classify_batch"] = run_batch(
            project, source, project / "out-http", "--url", url, server_pid=pid
        )
    cores = os.cpu_count() or 1
    header = f"{'mode':<30} {'wall s':>7} {'tickets/s':>10} {'steady':>7} {'CPU ms/ticket':>14}"
    print(f"\n{header} {f'on {cores} free cores':>17}")
    for name, result in results.items():
        per_ticket = result.cpu / args.rows
        print(
            f"{name:<30} {result.wall:>7.1f} {args.rows / result.wall:>10.1f} {result.steady:>7.1f} "
            f"{1000 * per_ticket:>14.1f} {cores / per_ticket:>17.1f}"
        )
    local, http = results[f"in-process, {args.workers} worker(s)"], results["HTTP, agent /classify_batch"]
    print(f"\nin-process ({args.workers} workers) / HTTP, tickets/s: {http.wall / local.wall:.2f}x")
    print(f"CPU per ticket, HTTP / in-process: {http.cpu / local.cpu:.2f}x (the server's processes included)")
    print(f"target: >= {TARGET} tickets/s; the CPU figures say what {cores} uncontended cores would allow")
    cost = scrub_cost_ms(tickets["Document"].astype(str).tolist()[:300])
    print(f"detect + scrub alone: {cost:.1f} ms per ticket -> at most {1000 / cost:.0f} tickets/s per core")


if __name__ == "__main__":
    main()
