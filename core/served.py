"""What the import stages recorded in `served/`: the exact store tag and MLflow version of each served model."""

import json
from collections.abc import Mapping
from typing import Any

from core.errors import ConfigError
from core.names import ModelName
from core.params import resolve_path


def served_record(registry_params: Mapping[str, Any], kind: str) -> dict[str, Any] | None:
    """The record of `kind` (tfidf | transformer | priority), or None before its import stage ran."""
    path = resolve_path(registry_params["served_records"][kind])
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def require_served(registry_params: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The record of `kind`, or a ConfigError saying which stage to run."""
    record = served_record(registry_params, kind)
    if record is None:
        path = registry_params["served_records"][kind]
        raise ConfigError(f"{path}: no served {kind} model recorded; run `dvc repro import_{kind}` first")
    return record


def answered_by(model: str, tags: Mapping[str, str]) -> str:
    """The store tag(s) behind an answer of `model` (tfidf | transformer | ensemble: both tags)."""
    if model == ModelName.ENSEMBLE:
        return f"{tags.get(ModelName.TFIDF, '')}+{tags.get(ModelName.TRANSFORMER, '')}"
    return tags.get(model, "")
