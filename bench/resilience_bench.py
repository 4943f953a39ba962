"""How the served agent holds up: a long soak, a model outage and a crafted stall, each against its normal.

    python -m bench.resilience_bench soak --clients 50 --seconds 120
    python -m bench.resilience_bench outage --clients 4 --seconds 20
    python -m bench.resilience_bench stall --seconds 20

Run in a project whose `dvc repro` imported both champions. Targets:
- soak: 0 client errors, 0 fallbacks, every process's RSS flat (printed at start and end).
- outage (TF-IDF worker stopped with SIGSTOP): p99 under 2x the normal p99, every answer's
  `fallback` set; then the transformer stopped: /readyz stays 200, /health says degraded.
- stall: one /classify_batch of 8 costly 20,000-character texts (names and numbers: spaCy NER and
  phone matching all along), repeated, beside one-line /classify calls: their p99 stays under 2x
  its normal p99; a text past its CPU budget is refused (422), never left to stall the agent.
"""

import argparse
import asyncio
import os
import random
import time
from pathlib import Path

import httpx
import pandas as pd
import psutil

from bench.load import LoadResult, closed_loop, run_load
from bench.serving_bench import AGENT, wait_healthy
from devkit.project import REPO
from devkit.servers import frozen, serve, worker_pid

DATA = Path(os.environ.get("CALLCENTER_BENCH_DATA", REPO.parent / "shared" / "data" / "it_service_tickets.csv"))
ONE_LINER = "My laptop does not start since this morning"


def tickets() -> list[str]:
    return pd.read_csv(DATA)["Document"].dropna().astype(str).tolist()


def rss_mb(server_pid: int) -> dict[str, float]:
    """RSS (MB) of every process under the server, by role and PID."""
    sizes = {}
    for process in psutil.Process(server_pid).children(recursive=True):
        try:
            command = " ".join(process.cmdline())
            role = command.split("--service-name ")[1].split()[0] if "--service-name" in command else "scrub pool"
            sizes[f"{role} {process.pid}"] = process.memory_info().rss / 1e6
        except (psutil.Error, IndexError):
            continue
    return sizes


def soak(url: str, server_pid: int, clients: int, seconds: float) -> None:
    texts = tickets()
    before = rss_mb(server_pid)
    result = run_load(f"{url}/classify", lambda rng: {"text": rng.choice(texts)}, clients, seconds)
    after = rss_mb(server_pid)
    print(f"soak, {clients} clients, {seconds:.0f} s: {result}")
    print(f"  errors {dict(result.errors)}, fallbacks {dict(result.fallbacks)}")
    for name in sorted(before):
        print(f"  RSS {name:<32} {before[name]:7.0f} -> {after.get(name, float('nan')):7.0f} MB")


def outage(url: str, server_pid: int, clients: int, seconds: float) -> None:
    texts = tickets()
    body = lambda rng: {"text": rng.choice(texts)}  # noqa: E731
    normal = run_load(f"{url}/classify", body, clients, seconds)
    print(f"normal, {clients} clients: {normal}")
    with frozen([worker_pid(server_pid, "tfidf_classifier")]):
        stopped = run_load(f"{url}/classify", body, clients, seconds)
        ready = httpx.get(f"{url}/readyz", timeout=10).status_code
    print(f"TF-IDF stopped: {stopped}; /readyz {ready}; fallbacks {dict(stopped.fallbacks)}")
    print(f"  p99 outage / normal: {stopped.percentile_ms(0.99) / normal.percentile_ms(0.99):.2f}x (target < 2x)")
    waited = sum(latency > 2 * normal.percentile_ms(0.99) / 1000 for latency in stopped.latencies_s)
    print(f"  answers slower than 2x the normal p99 (the breaker's detection): {waited} of {len(stopped.latencies_s)}")
    wait_healthy(url, 60)
    with frozen([worker_pid(server_pid, "transformer_classifier")]):
        degraded = run_load(f"{url}/classify", body, clients, seconds)
        time.sleep(3)
        ready, health = (
            httpx.get(f"{url}/readyz", timeout=10).status_code,
            httpx.get(f"{url}/health", timeout=10).json(),
        )
    print(f"transformer stopped: {degraded}; /readyz {ready}; /health {health['status']}")


async def stall_run(url: str, seconds: float, digits: str) -> tuple[LoadResult, list[str]]:
    """One-liners for `seconds` while the crafted batch is posted again and again."""
    outcomes: list[str] = []
    deadline = time.perf_counter() + seconds

    async def attacker() -> None:
        async with httpx.AsyncClient(timeout=120) as http:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await http.post(f"{url}/classify_batch", json={"texts": [digits] * 8})
                outcomes.append(f"{response.status_code} in {time.perf_counter() - started:.2f} s")

    one_liners = closed_loop(f"{url}/classify", lambda _: {"text": ONE_LINER}, 2, seconds)
    result, _ = await asyncio.gather(one_liners, attacker())
    return result, outcomes


def stall(url: str, seconds: float) -> None:
    rng = random.Random(0)
    names = ("Anna", "Omar", "Maria", "Jean")
    digits = " ".join(
        f"{rng.choice(names)} {''.join(rng.choice('0123456789') for _ in range(rng.randint(2, 6)))}."
        for _ in range(2500)
    )[:20000]
    normal = run_load(f"{url}/classify", lambda _: {"text": ONE_LINER}, 2, seconds)
    print(f"one-liners alone, 2 clients: {normal}")
    during, outcomes = asyncio.run(stall_run(url, seconds, digits))
    print(f"one-liners beside 8 x 20,000 characters of names and numbers per batch: {during}")
    print(f"  the batches: {', '.join(outcomes)}")
    print(
        f"  one-liner p99 during / alone: {during.percentile_ms(0.99) / normal.percentile_ms(0.99):.2f}x (target <= 2x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["soak", "outage", "stall"])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    with serve(AGENT, Path.cwd(), timeout=600) as (_, url, process):
        wait_healthy(url)
        run_load(f"{url}/classify", lambda _: {"text": ONE_LINER}, 2, 5)  # warm-up
        if args.scenario == "soak":
            soak(url, process.pid, args.clients, args.seconds)
        elif args.scenario == "outage":
            outage(url, process.pid, args.clients, args.seconds)
        else:
            stall(url, args.seconds)


if __name__ == "__main__":
    main()
