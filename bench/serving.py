"""Latency and throughput of an HTTP endpoint, and the memory of BentoML worker processes."""

import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import psutil


@dataclass
class Timing:
    """Per-call latencies (ms) and calls per second."""

    p50_ms: float
    p99_ms: float
    per_second: float

    def __str__(self) -> str:
        return f"p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms, {self.per_second:.1f}/s"


def summarise(latencies_s: list[float], wall_s: float) -> Timing:
    """Percentiles of the latencies and the rate over the wall time."""
    ms = sorted(1000 * value for value in latencies_s)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return Timing(statistics.median(ms), p99, len(ms) / wall_s)


def time_calls(call: Callable[[int], object], count: int) -> Timing:
    """Time `call(i)` for i in range(count), one after another."""
    latencies = []
    started = time.perf_counter()
    for index in range(count):
        begin = time.perf_counter()
        call(index)
        latencies.append(time.perf_counter() - begin)
    return summarise(latencies, time.perf_counter() - started)


def time_http(url: str, bodies: list[dict], clients: int) -> Timing:
    """POST every body to `url` from `clients` concurrent keep-alive clients; every answer must be 200."""
    latencies: list[float] = []

    def worker(share: list[dict]) -> None:
        with httpx.Client(timeout=60) as client:
            for body in share:
                begin = time.perf_counter()
                client.post(url, json=body).raise_for_status()
                latencies.append(time.perf_counter() - begin)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, [bodies[i::clients] for i in range(clients)]))
    return summarise(latencies, time.perf_counter() - started)


def worker_processes(server_pid: int, service_name: str) -> list[psutil.Process]:
    """The BentoML worker processes of one service under a `bentoml serve` process."""
    children = psutil.Process(server_pid).children(recursive=True)
    return [child for child in children if f"--service-name {service_name}" in " ".join(child.cmdline())]


def imports_torch(process: psutil.Process) -> bool:
    """Whether torch's shared library is mapped into the process."""
    return any("libtorch" in mapping.path for mapping in process.memory_maps())
