"""Detect + scrub in worker processes: off the event loop, on every core, and killable.

- A text gets a CPU-time budget (`budget_base_s` + `budget_per_kchar_s` per 1,000 characters).
  Past it the request is refused (fail closed: an unscrubbed text is never passed on) and the process
  scrubbing it is killed and replaced, so a crafted request stops costing CPU once refused.
- Two lanes: requests up to `fast_lane_max_chars` go to the fast lane, bigger ones to the bulk
  lane, whose workers run at a lower CPU priority (`niceness`): a one-line ticket never queues
  behind a 100,000-character batch, and goes first when the CPU is busy.
- Workers fork from a forkserver that imported `router.preloaded` (which builds the preparer):
  a replacement is ready in milliseconds and the models' memory is shared between workers.
- A request's texts are cut into chunks (`max_chunk_texts`, `max_chunk_chars`; a huge text is a
  chunk of its own) that the lane's workers take in parallel; small jobs waiting in a lane ride
  together to the next free worker, ready for the scrubber's batch API.
"""

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from router.pipeline import PreparedTicket

logger = logging.getLogger(__name__)
PRELOADED = "router.preloaded"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
READY = "ready"


class ScrubRefused(Exception):
    """A text could not be scrubbed within its time budget (or its worker died): the request is refused."""


def worker_main(connection: Connection, niceness: int) -> None:
    """A pool process: prepare each batch of texts it receives, until it receives None.

    `niceness` lowers its CPU priority (the bulk lane's), so interactive tickets go first on a busy CPU.
    """
    from router.preloaded import PREPARER  # already imported, built and warmed up in the forkserver

    os.nice(niceness)
    connection.send(READY)
    with contextlib.suppress(EOFError, BrokenPipeError):  # the agent went away: so do we
        while (texts := connection.recv()) is not None:
            seconds: dict[str, float] = {}
            connection.send((PREPARER.prepare_batch(texts, seconds), seconds))


class Worker:
    """One pool process and the pipe to it."""

    def __init__(self, context: Any, name: str, niceness: int) -> None:
        self.context, self.name, self.niceness = context, name, niceness
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, niceness), name=name, daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    async def receive(self, timeout: float) -> Any:
        """The next message, or TimeoutError; EOFError when the process died."""
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        loop.add_reader(self.connection.fileno(), lambda: readable.done() or readable.set_result(None))
        try:
            await asyncio.wait_for(readable, timeout)
        finally:
            loop.remove_reader(self.connection.fileno())
        return self.connection.recv()

    def cpu_seconds(self) -> float:
        """CPU time the process has used (user + system), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    async def run(
        self, texts: list[str], budget_s: float, max_wall_factor: float
    ) -> tuple[list[PreparedTicket], dict[str, float]]:
        """Prepare `texts` within `budget_s` of CPU time; TimeoutError or EOFError otherwise.

        CPU time, not wall time: on a busy machine a legitimate text waits for the CPU without
        spending its budget. The wait still ends at `max_wall_factor` times the budget (a stopped worker).
        """
        self.connection.send(texts)
        started_cpu, deadline = self.cpu_seconds(), time.monotonic() + budget_s * max_wall_factor
        while True:
            remaining = budget_s - (self.cpu_seconds() - started_cpu)
            wall_left = deadline - time.monotonic()
            if remaining <= 0 or wall_left <= 0:
                raise TimeoutError
            try:
                return await self.receive(min(remaining, wall_left))
            except TimeoutError:
                continue

    def kill(self) -> None:
        """Stop the process now (it may be mid-text)."""
        self.process.kill()
        self.process.join()
        self.connection.close()


@dataclass
class Job:
    """Texts of one request in one lane, and the future its answer goes to."""

    texts: list[str]
    future: asyncio.Future


@dataclass
class Lane:
    """A queue of jobs and the workers that serve it."""

    name: str
    workers: int
    max_chunk_texts: int
    max_chunk_chars: int
    niceness: int
    pending: deque[Job] = field(default_factory=deque)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)

    def fits(self, texts: list[str], more: list[str]) -> bool:
        """Whether `more` may join a chunk holding `texts` (an empty chunk takes anything)."""
        if not texts:
            return True
        size = sum(map(len, texts)) + sum(map(len, more))
        return len(texts) + len(more) <= self.max_chunk_texts and size <= self.max_chunk_chars

    def chunks(self, texts: list[str]) -> list[list[str]]:
        """Consecutive texts grouped within the chunk limits: a huge text is alone, so its budget is its own."""
        chunks: list[list[str]] = [[]]
        for text in texts:
            if not self.fits(chunks[-1], [text]):
                chunks.append([])
            chunks[-1].append(text)
        return chunks

    def submit(self, jobs: list[Job]) -> None:
        """Queue jobs and wake the lane's workers."""
        self.pending.extend(jobs)
        self.wakeup.set()

    async def take(self) -> list[Job]:
        """The next job, with the jobs behind it that fit in the same chunk (one-line tickets ride together)."""
        while not self.pending:
            self.wakeup.clear()
            await self.wakeup.wait()
        jobs = [self.pending.popleft()]
        texts = list(jobs[0].texts)
        while self.pending and self.fits(texts, self.pending[0].texts):
            jobs.append(self.pending.popleft())
            texts += jobs[-1].texts
        return [job for job in jobs if not job.future.done()]


class PreparePool:
    """The scrub pool of the agent: `await pool.prepare(texts)` -> prepared tickets and stage seconds."""

    def __init__(self, pool_params: dict[str, Any]) -> None:
        self.params = pool_params
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload([PRELOADED])
        self.lanes = {
            name: Lane(name, lane["workers"], lane["max_chunk_texts"], lane["max_chunk_chars"], lane["niceness"])
            for name, lane in pool_params["lanes"].items()
        }
        self.workers = {
            f"{lane.name}-{i}": Worker(self.context, f"scrub-{lane.name}-{i}", lane.niceness)
            for lane in self.lanes.values()
            for i in range(lane.workers)
        }
        self.tasks: list[asyncio.Task] = []
        self.killed = 0

    @property
    def ready(self) -> bool:
        """Every worker has built its preparer."""
        return all(worker.ready for worker in self.workers.values())

    def budget_s(self, texts: list[str]) -> float:
        """Time budget of a chunk: the sum of its texts' budgets."""
        per_char = self.params["budget_per_kchar_s"] / 1000
        return sum(self.params["budget_base_s"] + per_char * len(text) for text in texts)

    def lane_for(self, texts: list[str]) -> Lane:
        """Small requests take the fast lane, big ones the bulk lane."""
        return self.lanes["fast" if sum(map(len, texts)) <= self.params["fast_lane_max_chars"] else "bulk"]

    def start(self) -> None:
        """Start serving the lanes from the running event loop (once; the workers started in __init__)."""
        if not self.tasks:
            self.tasks = [asyncio.create_task(self.serve(key, self.lanes[key.split("-")[0]])) for key in self.workers]

    async def prepare(self, texts: list[str]) -> tuple[list[PreparedTicket], dict[str, float]]:
        """Prepared tickets in input order; ScrubRefused (the rest of the request dropped) on a budget overrun."""
        self.start()
        lane = self.lane_for(texts)
        loop = asyncio.get_running_loop()
        jobs = [Job(chunk, loop.create_future()) for chunk in lane.chunks(texts)]
        lane.submit(jobs)
        try:
            results = await asyncio.gather(*(job.future for job in jobs))
        finally:
            for job in jobs:
                job.future.cancel()  # a refused or abandoned request: its queued texts are never scrubbed
        seconds: dict[str, float] = {}
        for _, part in results:
            for stage, value in part.items():
                seconds[stage] = seconds.get(stage, 0.0) + value
        return [ticket for tickets, _ in results for ticket in tickets], seconds

    async def serve(self, key: str, lane: Lane) -> None:
        """One worker's loop: take the waiting jobs of its lane, prepare them together, hand results back."""
        await self.wait_ready(key)
        while True:
            jobs = await lane.take()
            if jobs:
                await self.run_jobs(key, jobs)

    async def run_jobs(self, key: str, jobs: list[Job]) -> None:
        """Prepare the jobs' texts in one call; on a budget overrun or a dead worker, refuse them and replace it."""
        texts = [text for job in jobs for text in job.texts]
        started = time.perf_counter()
        try:
            tickets, seconds = await self.workers[key].run(texts, self.budget_s(texts), self.params["max_wall_factor"])
        except (TimeoutError, EOFError, OSError) as error:
            reason = "over its time budget" if isinstance(error, TimeoutError) else "lost its scrub worker"
            logger.warning("scrub refused %d text(s) (%d characters): %s", len(texts), sum(map(len, texts)), reason)
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(ScrubRefused(f"the text could not be scrubbed: {reason}"))
            await self.replace(key)
            return
        logger.debug("prepared %d text(s) in %.3f s", len(texts), time.perf_counter() - started)
        offset = 0
        for job in jobs:
            part = tickets[offset : offset + len(job.texts)]
            offset += len(job.texts)
            if not job.future.done():
                job.future.set_result((part, seconds))

    async def wait_ready(self, key: str) -> None:
        """Wait for a worker's ready message (the preparer takes seconds to build without the forkserver's)."""
        worker = self.workers[key]
        message = await worker.receive(self.params["start_timeout_s"])
        worker.ready = message == READY

    async def replace(self, key: str) -> None:
        """Kill a worker and fork a fresh one (milliseconds: it forks from the preloaded forkserver)."""
        old = self.workers[key]
        await asyncio.get_running_loop().run_in_executor(None, old.kill)
        self.killed += 1
        self.workers[key] = Worker(self.context, old.name, old.niceness)
        await self.wait_ready(key)

    def pids(self) -> dict[str, int]:
        """Process id of each worker, by name (for memory reports)."""
        return {worker.name: worker.process.pid for worker in self.workers.values() if worker.process.pid}

    def close(self) -> None:
        """Stop every worker."""
        for task in self.tasks:
            task.cancel()
        for worker in self.workers.values():
            worker.kill()
