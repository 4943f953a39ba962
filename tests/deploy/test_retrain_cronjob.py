"""The retraining CronJob documented in docs/deploy.md renders to a valid job that runs `make retrain`."""

import os
import re
import subprocess

import yaml

from core.params import load_params
from devkit.project import REPO

MARKER = "<!-- retrain-cronjob:"
VARIABLE = re.compile(r"\$\{(\w+)\}")


def rendered_manifest(values: dict[str, str]) -> dict:
    """The YAML block after the marker in docs/deploy.md, with ${VARIABLES} filled in."""
    text = (REPO / "docs" / "deploy.md").read_text()
    block = text[text.index(MARKER) :].split("```yaml\n", 1)[1].split("```", 1)[0]
    missing = set(VARIABLE.findall(block)) - set(values)
    assert not missing, f"unfilled variables {missing}"
    return yaml.safe_load(VARIABLE.sub(lambda match: values[match[1]], block))


def test_cronjob_runs_make_retrain_on_the_params_schedule_one_at_a_time() -> None:
    schedule = load_params()["loop"]["retrain_schedule"]
    job = rendered_manifest({"RETRAIN_SCHEDULE": schedule, "TRAINING_IMAGE": "registry.example/callcenterai-train:v1"})
    assert job["kind"] == "CronJob" and job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["schedule"] == schedule and len(schedule.split()) == 5
    assert spec["concurrencyPolicy"] == "Forbid"
    (container,) = spec["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example/callcenterai-train:v1"
    assert "make retrain" in " ".join(container["command"])


def test_make_retrain_is_the_dvc_pipeline() -> None:
    # --no-print-directory and no MAKEFLAGS: under `make test` a nested make would print "Leaving directory".
    env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    command = ["make", "--no-print-directory", "-n", "retrain"]
    dry_run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True, env=env)
    assert dry_run.stdout.strip().splitlines()[-1] == "dvc repro"
