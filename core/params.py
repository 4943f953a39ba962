"""The one reader of params.yaml."""

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PARAMS_ENV = "CALLCENTER_PARAMS"


@cache
def load_params(path: str | None = None) -> dict[str, Any]:
    """Read params.yaml (or the file named by $CALLCENTER_PARAMS, or `path`)."""
    params_path = Path(path or os.environ.get(PARAMS_ENV) or PROJECT_ROOT / "params.yaml")
    try:
        with params_path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{params_path}: cannot be read as params ({error})") from error


def resolve_path(path: str | Path) -> Path:
    """Paths in params.yaml are relative to the project root, as in dvc.yaml."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path
