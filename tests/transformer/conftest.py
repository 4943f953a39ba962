"""The transformer pipeline run in its own project copy (own registry and store names) on a tiny backbone."""

import json
from pathlib import Path

import pandas as pd
import pytest

from devkit.project import copy_project, run, set_params
from tests.conftest import SESSION_DIR
from tests.transformer.tiny_backbone import TINY_TRAINING

# Own model names, so the agent tests' transformer run in the shared project copy never races this one.
OWN_NAMES = {"registry.transformer_model": "ticket-transformer-tests"}


@pytest.fixture(scope="session")
def transformer_project(tiny_backbone: Path) -> Path:
    """A project copy of its own: the transformer with a missing backbone (-> the tiny fallback), tiny limits."""
    project = copy_project(SESSION_DIR / "transformer-project")
    set_params(project, {**TINY_TRAINING, **OWN_NAMES, "transformer.fallback_backbone": str(tiny_backbone)})
    return project


@pytest.fixture(scope="session")
def transformer_pipeline(transformer_project: Path, tiny_backbone: Path) -> dict:
    """`dvc repro import_transformer` offline; what was trained, registered and imported."""
    run(["dvc", "repro", "import_transformer"], transformer_project, env={"HF_HUB_OFFLINE": "1"})
    return {
        "project": transformer_project,
        "bento": json.loads((transformer_project / "served" / "transformer.json").read_text()),
        "metrics": json.loads((transformer_project / "metrics" / "transformer.json").read_text()),
        "backbone": str(tiny_backbone),
        "model_name": OWN_NAMES["registry.transformer_model"],
        "classes": sorted(pd.read_csv(transformer_project / "data" / "starter" / "tickets.csv")["label"].unique()),
    }


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Hugging Face hub: tests never download."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
