"""A throwaway copy of the project to run the real pipeline in (used by tests and benchmarks)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
# What `dvc repro` and `bentoml serve` / `build` need; no stores, no outputs, no tests.
FOLDERS = (
    "core",
    "models",
    "router",
    "bentos",
    "store",
    "train",
    "batch",
    "cli",
    "monitoring",
    "data/starter",
    "data/intents",
    "data/feedback",
)
PROJECT_FILES = (*FOLDERS, "params.yaml", "dvc.yaml", "bentofile.yaml")


def copy_project(destination: Path) -> Path:
    """Copy the code, params, pipeline and starter data (no stores, no outputs) and `dvc init` it."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.parquet")  # code and inputs, never outputs
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.exists():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    run(["dvc", "init", "--no-scm", "-q"], destination)
    return destination


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command with this interpreter's tools first on PATH (dvc, bentoml, python of the same venv,
    activated or not); raise with its output when it fails."""
    tools = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    full_env = {**os.environ, "PATH": tools, **(env or {})}
    result = subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def set_params(project: Path, changes: dict[str, Any]) -> None:
    """Set dotted keys (`"tfidf.svm.C": 1.0`) in the project copy's params.yaml."""
    path = project / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node = params
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))


def absolute_params(project: Path) -> dict[str, Any]:
    """A project copy's params with its served records made absolute: its models, run from this process."""
    params = yaml.safe_load((project / "params.yaml").read_text())
    registry, router = params["registry"], params["router"]
    registry["served_records"] = {kind: str(project / path) for kind, path in registry["served_records"].items()}
    router["tuned_thresholds"] = str(project / router["tuned_thresholds"]) if router["tuned_thresholds"] else None
    return params
