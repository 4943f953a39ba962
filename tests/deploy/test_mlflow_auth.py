"""compose's MLflow command, run for real (same MLflow version, its basic-auth app): no login, no access."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mlflow import MlflowClient

from devkit.servers import free_port, stop, wait_ready
from tests.deploy.conftest import interpolate

pytestmark = pytest.mark.slow
CREDENTIALS = {
    "MLFLOW_ADMIN_USER": "operator",
    "MLFLOW_ADMIN_PASSWORD": "a-long-test-password",
    "MLFLOW_SECRET_KEY": "k",
}
SEARCH = "/api/2.0/mlflow/experiments/search?max_results=5"


def local_command(compose_command: list[str], port: int, data: Path) -> list[str]:
    """compose's MLflow command with this machine's port and folders instead of the container's."""
    local = {"--host": "127.0.0.1", "--port": str(port)}
    command = []
    for arg in [sys.executable, "-m", "mlflow", *compose_command[1:]]:
        option = arg.split("=")[0]
        command.append(f"{option}={local[option]}" if option in local else arg.replace("/mlflow/", f"{data}/"))
    return command


@pytest.fixture(scope="module")
def mlflow_server(compose: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    service = compose["services"]["mlflow"]
    data = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    env = {**os.environ, **{key: interpolate(value, CREDENTIALS) for key, value in service["environment"].items()}}
    env["MLFLOW_ALLOWED_HOSTS"] = f"127.0.0.1:{port}"
    command = [interpolate(arg, {"MLFLOW_ALLOWED_HOSTS": f"127.0.0.1:{port}"}) for arg in service["command"]]
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        local_command(command, port, data),
        cwd=data,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_ready(url, process, timeout=150, path="/health")
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"MLflow did not start ({error}):\n{(data / 'server.log').read_text()[-3000:]}")
        yield url
    finally:
        stop(process)
        log.close()


def test_mlflow_refuses_requests_without_the_credentials_from_env(mlflow_server: str) -> None:
    assert httpx.get(f"{mlflow_server}/health", timeout=60).status_code == 200  # the health check needs no login
    assert httpx.get(f"{mlflow_server}{SEARCH}", timeout=60).status_code == 401
    wrong = ("operator", "not-the-password")
    assert httpx.get(f"{mlflow_server}{SEARCH}", auth=wrong, timeout=60).status_code == 401
    right = (CREDENTIALS["MLFLOW_ADMIN_USER"], CREDENTIALS["MLFLOW_ADMIN_PASSWORD"])
    assert httpx.get(f"{mlflow_server}{SEARCH}", auth=right, timeout=60).status_code == 200


def test_training_reaches_it_with_mlflow_tracking_username_and_password(
    mlflow_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", CREDENTIALS["MLFLOW_ADMIN_USER"])
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", CREDENTIALS["MLFLOW_ADMIN_PASSWORD"])
    client = MlflowClient(tracking_uri=mlflow_server)
    experiment = client.create_experiment("auth-check")
    assert client.get_experiment(experiment).name == "auth-check"
