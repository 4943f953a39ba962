"""The deployment files as data (compose, .env.example, workflows), and a real Bento built and exported."""

import re
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from devkit.project import REPO, copy_project, run

VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?]([^}]*))?\}")
# Models each entry service needs in the BentoML store before `bentoml build` (bentofile's `service:`).
MODEL_FIXTURES = {
    "bentos.tfidf_service:TfidfClassifier": ("tfidf_pipeline",),
    "bentos.agent_service:TicketAgent": ("tfidf_pipeline", "transformer_in_project"),
}


def read_env_example() -> dict[str, str]:
    """KEY=value lines of .env.example."""
    pairs = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} with `env` (as if .env were .env.example)."""
    return VARIABLE.sub(lambda match: env.get(match[1]) or match[2] or "", value)


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text())


@pytest.fixture(scope="session")
def built_bento(request: pytest.FixtureRequest, project_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`bentoml build` of the repo's bentofile in a fresh project copy, `bentoml export`ed and unpacked.

    The unpacked folder is what `bentoml containerize` copies into the image (code, env, models).
    """
    entry = yaml.safe_load((REPO / "bentofile.yaml").read_text())["service"]
    for name in MODEL_FIXTURES[entry]:
        request.getfixturevalue(name)
    project = copy_project(tmp_path_factory.mktemp("bento-project"))
    shutil.copy2(REPO / "requirements.lock", project / "requirements.lock")
    # What `dvc repro` leaves for the build: the imported champions' tags (and tuned routing, if any).
    shutil.copytree(project_copy / "served", project / "served")
    tag = run(["bentoml", "build", "-o", "tag"], project).stdout.strip().rsplit("__tag__:", 1)[-1]
    archive = tmp_path_factory.mktemp("bento-export") / "callcenterai.bento"
    run(["bentoml", "export", tag, str(archive)], project)
    unpacked = tmp_path_factory.mktemp("bento-unpacked")
    with tarfile.open(archive) as bento:
        bento.extractall(unpacked, filter="data")
    return unpacked
