"""A real `bentoml serve` of the project, scraped by a real Prometheus built from monitoring/prometheus.yml."""

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

from devkit.project import REPO
from devkit.servers import free_port, poll_until, serve, stop
from devkit.stores import fresh_database_url
from store.database import DATABASE_URL_ENV
from tests.monitoring.promql import query

MONITORING = REPO / "monitoring"
SCRAPE_SECONDS = "1s"
WAIT_SECONDS = 30


@dataclass(frozen=True)
class Target:
    """A service to serve and scrape: its import path, the fixtures it needs, its route and body."""

    service: str
    fixtures: tuple[str, ...]
    route: str
    body: Callable[[str], dict]
    exports_agent_metrics: bool
    invalid_bodies: tuple[dict, ...] = field(default=({}, {"unknown": 1}))


TARGETS = {
    "tfidf": Target(
        "bentos.tfidf_service:TfidfClassifier", ("tfidf_pipeline",), "/predict", lambda t: {"texts": [t]}, False
    ),
    "agent": Target(
        "bentos.agent_service:TicketAgent",
        ("tfidf_pipeline", "transformer_in_project", "routing_in_project"),  # routing.json: the drift baseline
        "/classify",
        lambda t: {"text": t},
        True,
    ),
}
# The service Prometheus scrapes: the agent, whose /metrics aggregates all three services.
SERVED = TARGETS["agent"]

TICKETS = (
    "My laptop screen is broken, call me on +1 415 555 0100 or mail jane.doe@example.com",
    "I cannot log in to the VPN since my password expired",
    "Mon imprimante ne fonctionne plus, merci de contacter Pierre Martin",
    "لا أستطيع الوصول إلى بريدي الإلكتروني منذ الصباح",
    "Please add me to the finance project folder, my IBAN is DE89370400440532013000",
    "The new hire needs an account and a badge for Monday",
)


@pytest.fixture(scope="session")
def prometheus_tools() -> dict[str, str]:
    """Paths of promtool and prometheus (Debian package `prometheus`, installed by `make monitoring-tools`)."""
    tools = {name: shutil.which(name) for name in ("promtool", "prometheus")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: run `make monitoring-tools` (apt-get install prometheus)")
    return tools


def scrape_config_for_test(server: str, prometheus_port: int, dead_port: int) -> dict:
    """monitoring/prometheus.yml with fast intervals, the served entry service as the first target.

    Single-process `bentoml serve` exposes every service's metrics on the entry port, so the other
    components' targets (separate containers in compose) point at a closed port: that also makes
    ServiceTargetDown go pending, which exercises one alert end to end.
    """
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    config["global"].update(scrape_interval=SCRAPE_SECONDS, evaluation_interval=SCRAPE_SECONDS)
    config["rule_files"] = [str(MONITORING / name) for name in config["rule_files"]]
    for job in config["scrape_configs"]:
        if job["job_name"] == "prometheus":
            job["static_configs"] = [{"targets": [f"127.0.0.1:{prometheus_port}"]}]
            continue
        first, *others = job["static_configs"]
        job["static_configs"] = [{**first, "targets": [server]}] + [
            {**other, "targets": [f"127.0.0.1:{dead_port}"]} for other in others
        ]
    return config


def wait_until(check: Callable[[], bool], what: str) -> None:
    """Poll `check` until it holds, or fail saying what never happened."""
    try:
        poll_until(check, WAIT_SECONDS, what, interval=0.3)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def served(
    request: pytest.FixtureRequest, project_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of the real `bentoml serve` of SERVED, with its models imported first, on a ticket store
    of its own (the reviews it makes for the panels must not reach the project's next `dvc repro`)."""
    for name in SERVED.fixtures:
        request.getfixturevalue(name)
    env = {DATABASE_URL_ENV: fresh_database_url("sqlite", tmp_path_factory.mktemp("monitoring-store"))}
    with serve(SERVED.service, cwd=project_copy, env=env) as (_client, base_url, _process):
        yield base_url


@pytest.fixture(scope="module")
def prometheus(
    prometheus_tools: dict[str, str], served: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a Prometheus on loopback scraping `served` every second."""
    workdir = tmp_path_factory.mktemp("prometheus")
    port, dead_port = free_port(), free_port()
    config_path = workdir / "prometheus.yml"
    config = scrape_config_for_test(served.removeprefix("http://"), port, dead_port)
    config_path.write_text(yaml.safe_dump(config))
    command = [
        prometheus_tools["prometheus"],
        f"--config.file={config_path}",
        f"--storage.tsdb.path={workdir / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(f"{base_url}/-/ready", timeout=2).status_code == 200, "Prometheus ready")
        yield base_url
    finally:
        stop(process)
        log.close()


def send_traffic(base_url: str) -> None:
    """Valid tickets (with PII, three languages) and invalid bodies the service must refuse with 4xx."""
    for text in TICKETS:
        response = httpx.post(f"{base_url}{SERVED.route}", json=SERVED.body(text), timeout=60)
        assert response.status_code == 200, response.text
    for body in SERVED.invalid_bodies:
        assert httpx.post(f"{base_url}{SERVED.route}", json=body, timeout=60).status_code == 400
    if SERVED.exports_agent_metrics:
        send_desk_traffic(base_url)


def send_desk_traffic(base_url: str) -> None:
    """The ticket desk: a ticket stored, then reviewed to another category (the same pair every burst)."""
    created = httpx.post(f"{base_url}/tickets", json={"text": TICKETS[1]}, timeout=60)
    assert created.status_code == 201, created.text
    ticket = created.json()
    other = next(name for name in sorted(ticket["scores"]) if name != ticket["category"])
    review = {"version": ticket["version"], "category": other, "corrected_by": "monitoring-test"}
    assert httpx.patch(f"{base_url}/tickets/{ticket['id']}", json=review, timeout=60).status_code == 200


def scraped_since(prometheus_url: str, served_url: str, since: float) -> bool:
    """Prometheus holds a scrape of the served target that started after `since` (a Unix time)."""
    # timestamp() of a bare selector is the scrape's time; of any other expression, the query's.
    stamps = query(prometheus_url, f'timestamp(up{{instance="{served_url.removeprefix("http://")}"}})')
    return bool(stamps) and max(stamps) > since


@pytest.fixture(scope="module")
def scraped(prometheus: str, served: str) -> str:
    """Prometheus after two bursts of traffic, each followed by a scrape, so every rate() has an increase."""
    wait_until(lambda: scraped_since(prometheus, served, 0), "a first scrape of the served target")
    for _ in range(2):
        send_traffic(served)
        sent = time.time()
        wait_until(lambda sent=sent: scraped_since(prometheus, served, sent), "a scrape after the traffic")
    return prometheus
