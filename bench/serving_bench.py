"""Our agent beside the seed-style peer (../shared/bench-peer), in one run: rps, p50, p99, ratio, memory.

    python -m bench.serving_bench --data ../shared/data/it_service_tickets.csv --seconds 20 --rounds 2

Run in a project whose `dvc repro` imported both champions (stores from MLFLOW_TRACKING_URI and
BENTOML_HOME). Starts the peer (two uvicorn apps: its TF-IDF trains on --data on the first start,
then loads from --peer-cache) and ours (`bentos.agent_service:TicketAgent`, devkit.servers.serve),
loads each with the peer's own load generator (`load.py`: C closed-loop clients, random tickets),
alternating which goes first per round, then times `/classify_batch` and reports the memory of
every process. Target: at 8 clients, >= 1.5x the peer's rps with a p99 no higher than the peer's;
`/classify_batch` >= 400 texts/s.
"""

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pandas as pd
import psutil

from bench.load import run_load
from devkit.project import REPO
from devkit.servers import free_port, poll_until, serve, stop

SHARED = REPO.parent / "shared"
AGENT = "bentos.agent_service:TicketAgent"
BIN = Path(sys.executable).parent


@contextmanager
def peer(peer_dir: Path, data: Path, cache: Path, log_dir: Path) -> Iterator[tuple[str, list[int]]]:
    """The peer's model service and agent (uvicorn); yields the agent's /classify URL and both PIDs."""
    model_port, agent_port = free_port(), free_port()
    env = {**os.environ, "PEER_MODEL": str(cache), "PEER_DATA": str(data)}
    env["PEER_MODEL_URL"] = f"http://127.0.0.1:{model_port}/predict"
    processes = []
    for app, port in (("model_svc:app", model_port), ("agent_svc:app", agent_port)):
        log = (log_dir / f"peer-{port}.log").open("wb")
        command = [str(BIN / "uvicorn"), "--app-dir", str(peer_dir), app, "--port", str(port), "--log-level", "warning"]
        processes.append(
            subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        )
    url = f"http://127.0.0.1:{agent_port}/classify"
    try:
        poll_until(lambda: httpx.post(url, json={"text": "vpn is down"}, timeout=10).is_success, 900, "the peer")
        yield url, [process.pid for process in processes]
    finally:
        for process in processes:
            stop(process)


def wait_healthy(base_url: str, timeout: float = 300) -> None:
    """Both models answer (not only TF-IDF, which is what /readyz waits for)."""
    poll_until(lambda: httpx.get(f"{base_url}/health", timeout=5).json()["status"] == "ok", timeout, "agent healthy")


def peer_load(load_script: Path, url: str, data: Path, clients: int, seconds: float) -> dict:
    """One run of the peer's load generator: its JSON line (ok, errors, rps, p50_ms, p99_ms)."""
    command = [sys.executable, str(load_script), url, str(data), "-c", str(clients), "-t", str(seconds)]
    return json.loads(
        subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    )


def memory_table(pids: dict[str, int]) -> list[str]:
    """RSS, PSS (MB) and CPU time used so far of each process, children included, by service or pool role."""
    rows = []
    for owner, pid in pids.items():
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                command, info, cpu = " ".join(process.cmdline()), process.memory_full_info(), process.cpu_times()
            except psutil.Error:
                continue
            role = command.split("--service-name ")[1].split()[0] if "--service-name" in command else ""
            role = role or ("scrub pool" if "forkserver" in command else process.name())
            sizes = f"RSS {info.rss / 1e6:6.0f} MB  PSS {info.pss / 1e6:6.0f} MB  CPU {cpu.user + cpu.system:7.1f} s"
            rows.append(f"  {owner:<5} pid {process.pid:<7} {role:<24} {sizes}")
    return rows


def compare(
    load_script: Path, peer_url: str, our_url: str, data: Path, clients: int, seconds: float, rounds: int
) -> None:
    """Alternate peer and ours `rounds` times at `clients` clients; print each run, the means and the ratio."""
    runs: dict[str, list[dict]] = {"peer": [], "ours": []}
    for round_index in range(rounds):
        order = [("peer", peer_url), ("ours", our_url)]
        for name, url in order if round_index % 2 == 0 else order[::-1]:
            runs[name].append(peer_load(load_script, url, data, clients, seconds))
            print(f"  {clients} clients, round {round_index + 1}, {name}: {runs[name][-1]}", flush=True)
    mean = {
        name: {key: sum(r[key] for r in rs) / len(rs) for key in ("rps", "p50_ms", "p99_ms")}
        for name, rs in runs.items()
    }
    errors = {name: sum(r["errors"] for r in rs) for name, rs in runs.items()}
    for name in ("peer", "ours"):
        m = mean[name]
        figures = f"{m['rps']:.1f} rps, p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms"
        print(f"{clients} clients, {name}: {figures}, {errors[name]} errors")
    ratio = mean["ours"]["rps"] / mean["peer"]["rps"]
    p99_ok = mean["ours"]["p99_ms"] <= mean["peer"]["p99_ms"]
    print(f"{clients} clients: ours / peer rps = {ratio:.2f}x; p99 ours {'<=' if p99_ok else '>'} peer")


def batch_throughput(base_url: str, texts: list[str], seconds: float, batch: int) -> None:
    """/classify_batch with `batch` tickets per request, 1 and 2 clients: texts per second."""
    for clients in (1, 2):
        result = run_load(
            f"{base_url}/classify_batch", lambda rng: {"texts": rng.sample(texts, batch)}, clients, seconds
        )
        print(f"/classify_batch, {batch} per request, {clients} client(s): {result.rps * batch:.0f} texts/s ({result})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "it_service_tickets.csv")
    parser.add_argument("--peer", type=Path, default=SHARED / "bench-peer", help="the seed-style peer's folder")
    parser.add_argument("--peer-cache", type=Path, default=Path.home() / ".cache" / "peer_tfidf.joblib")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    data, load_script = args.data.resolve(), args.peer.resolve() / "load.py"
    texts = pd.read_csv(data)["Document"].dropna().astype(str).tolist()
    with (
        peer(args.peer.resolve(), data, args.peer_cache, Path.cwd()) as (peer_url, peer_pids),
        serve(AGENT, Path.cwd(), timeout=600) as (
            _,
            base_url,
            process,
        ),
    ):
        wait_healthy(base_url)
        for url in (peer_url, f"{base_url}/classify"):  # warm both up (first calls load lazy parts)
            peer_load(load_script, url, data, 2, 5)
        for clients in args.clients:
            compare(load_script, peer_url, f"{base_url}/classify", data, clients, args.seconds, args.rounds)
        batch_throughput(base_url, texts, args.seconds, 64)
        print("memory and CPU time after the runs:")
        print("\n".join(memory_table({"peer": peer_pids[0], "peer2": peer_pids[1], "ours": process.pid})))


if __name__ == "__main__":
    main()
