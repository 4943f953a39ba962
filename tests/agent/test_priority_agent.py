"""The agent served from a project trained on data with a priority column: priority in answers, metrics, batch."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest

from devkit.servers import serve
from router.priority import PriorityRule, decide_priority
from tests.agent.conftest import AGENT, AgentServer
from tests.batch.conftest import ProjectScorer, read_output, write_csv

pytestmark = pytest.mark.slow
URGENT = "Production is down for all our customers since 9:00, payments fail: please act immediately."


@pytest.fixture(scope="module")
def priority_server(priority_project: dict) -> Iterator[AgentServer]:
    """The agent served from the priority project (its three model services included)."""
    project = priority_project["project"]
    with serve(AGENT, project, env={"HF_HUB_OFFLINE": "1"}, timeout=240) as (client, url, process):
        yield AgentServer(client, url, process, project / f"serve-{url.rsplit(':', 1)[1]}.log")


@pytest.fixture(scope="module")
def priority_agent(priority_server: AgentServer) -> str:
    return priority_server.url


def test_answers_carry_the_priority_its_probabilities_and_a_sentence(
    priority_agent: str, priority_project: dict
) -> None:
    answer = httpx.post(f"{priority_agent}/classify", json={"text": URGENT}, timeout=60).json()
    priority = answer["priority"]
    assert set(priority["scores"]) == {"high", "low", "medium"} and sum(priority["scores"].values()) == pytest.approx(1)
    rule = PriorityRule(**priority_project["served"]["rule"])
    assert priority["level"] == decide_priority(priority["scores"], rule).level  # the tuned rule, not the argmax
    assert priority["confidence"] == priority["scores"][priority["level"]]
    assert f"Priority {priority['level']} ({priority['confidence']:.2f})" in answer["explanation"]
    metrics = httpx.get(f"{priority_agent}/metrics", timeout=30).text
    counted = [
        line
        for line in metrics.splitlines()
        if line.startswith(f'callcenter_priority_total{{priority="{priority["level"]}"')
    ]
    assert counted and float(counted[0].split()[-1]) >= 1


def test_batch_through_the_agent_equals_the_in_process_job(
    priority_agent: str, priority_project: dict, tmp_path: Path
) -> None:
    tickets = pd.read_csv(priority_project["data"]).head(30)
    rows = [
        {"id": f"M{i}", "text": f"{s}\n\n{b}"}
        for i, (s, b) in enumerate(zip(tickets["subject"].fillna(""), tickets["body"], strict=True))
    ]
    source = write_csv(tmp_path / "tickets.csv", [*rows, {"id": "empty", "text": " "}])
    local = ProjectScorer(priority_project["project"])
    local.run(source, tmp_path / "local", "--chunk-rows", "16")
    summary = local.run(source, tmp_path / "http", "--url", priority_agent, "--chunk-rows", "16")
    assert (summary.rows_scored, summary.rows_with_errors) == (30, 1)
    ours, theirs = read_output(tmp_path / "local"), read_output(tmp_path / "http")
    assert theirs["priority"].notna().all() and theirs["model_version"].str.startswith("ticket-").all()
    pd.testing.assert_frame_equal(
        theirs.drop(columns=["scores", "priority_scores"]), ours.drop(columns=["scores", "priority_scores"])
    )
    for column in ("scores", "priority_scores"):
        for a, b in zip(ours[column], theirs[column], strict=True):
            assert a.keys() == b.keys() and np.allclose(list(a.values()), list(b.values()))
    assert pd.read_csv(tmp_path / "http" / "_errors.csv").equals(pd.read_csv(tmp_path / "local" / "_errors.csv"))


def test_a_stuck_priority_model_leaves_the_answer_without_priority_and_says_why(priority_server: AgentServer) -> None:
    with priority_server.frozen("priority_classifier"):  # SIGSTOP: it hangs past router.priority_timeout_s
        answer = httpx.post(f"{priority_server.url}/classify", json={"text": URGENT}, timeout=60).json()
    assert "priority" not in answer and answer["category"]
    assert answer["explanation"].endswith("Priority unavailable: the priority model timed out.")
    metrics = httpx.get(f"{priority_server.url}/metrics", timeout=30).text
    assert 'callcenter_fallbacks_total{reason="priority_timeout"} 1.0' in metrics
    assert 'callcenter_priority_total{priority="unrated"} 1.0' in metrics
