"""Commands end bad runs with one line naming the problem and exit code 1: never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from devkit.project import REPO


def run_stage(module: str, cwd: Path, params: dict) -> subprocess.CompletedProcess:
    path = cwd / "stage-params.yaml"
    path.write_text(yaml.safe_dump(params))
    env = {**os.environ, "CALLCENTER_PARAMS": str(path), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", module], cwd=cwd, env=env, capture_output=True, text=True)


def params_with(dotted: str, value: object) -> dict:
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    section, key = dotted.split(".")
    params[section][key] = value
    return params


@pytest.mark.parametrize("module", ["train.tfidf", "train.transformer", "train.tune_routing"])
def test_a_stage_run_before_prepare_says_so_in_one_line(module: str, tmp_path: Path) -> None:
    result = run_stage(module, tmp_path, params_with("split.seed", 42))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{module}: data/processed: missing splits") and "dvc repro prepare" in line


@pytest.mark.parametrize("module", ["train.tfidf", "train.transformer"])
def test_an_unknown_gate_metric_is_refused_before_any_training(module: str, tmp_path: Path) -> None:
    result = run_stage(module, tmp_path, params_with("registry.gate_metric", "f1_weird"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"{module}: registry.gate_metric: 'f1_weird' is not one of ['accuracy', 'macro_f1']"
    )
    assert not (tmp_path / "mlruns").exists() and not (tmp_path / "metrics").exists()


def test_serving_an_unimported_champion_names_the_stage_to_run(tmp_path: Path) -> None:
    params = params_with("registry.served_records", {"tfidf": str(tmp_path / "none.json"), "transformer": "x"})
    code = "from bentos.tfidf_service import TfidfClassifier; TfidfClassifier.inner()"
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "CALLCENTER_PARAMS": str(path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert f"no tfidf champion recorded in {tmp_path / 'none.json'}: run `dvc repro` (its import_tfidf stage)" in (
        result.stderr
    )
