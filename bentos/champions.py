"""Which store tag each model service serves: the one the import stage recorded, never `:latest`.

`latest` would serve whatever was imported last (a rolled-back champion never, a store shared by
two checkouts the newest of either). The record is read when the service module is imported,
because BentoML collects a service's models from its class attributes. It also holds the sha256 of
each of the champion's files as the gate recorded them: a service checks them before loading.
"""

from pathlib import Path

import bentoml

from core import served
from core.errors import ConfigError, IntegrityError
from core.integrity import STORE_FOLDER, decode_digests, verify_artifacts
from core.names import ModelName
from core.params import load_params

# Keeps the module importable before any training (API introspection, `bentoml build` errors
# name it); loading this tag fails, and the service says how to fix it.
NOT_IMPORTED = "not-imported"


def served_record(kind: str) -> dict | None:
    """The import stage's record for `kind` (tfidf | transformer | priority), or None before any import."""
    return served.served_record(load_params()["registry"], kind)


def champion_model(kind: str) -> bentoml.models.BentoModel:
    """The BentoML model the import stage recorded for `kind` (tfidf | transformer | priority)."""
    tag = (served_record(kind) or {}).get("bento_tag")  # none before an import, or `served: false` (priority)
    return bentoml.models.BentoModel(tag or f"{load_params()['registry'][f'{kind}_model']}:{NOT_IMPORTED}")


def require_imported(service: object, kind: str) -> Path:
    """The champion's MLflow model folder in the store, checked against the gate's sha256 digests.

    A clear error when no champion of `kind` was imported (instead of BentoML's 'not found'), and an
    IntegrityError naming the files when the stored copy is not what the gate recorded. Reads the
    class attribute itself: reading it through the instance resolves (loads) the model.
    """
    if type(service).bento_model.tag.version == NOT_IMPORTED:
        record = load_params()["registry"]["served_records"][kind]
        raise ConfigError(f"no {kind} champion recorded in {record}: run `dvc repro` (its import_{kind} stage)")
    model = service.bento_model
    folder = Path(model.path_of(STORE_FOLDER))
    what = f"the {kind} champion {model.tag}"
    record = served_record(kind) or {}
    if record.get("bento_tag") != str(model.tag):
        raise IntegrityError(f"{what}: no sha256 digests recorded for it in served/ (run `dvc repro import_{kind}`)")
    verify_artifacts(folder, decode_digests(record.get("sha256"), what), what)
    return folder


def model_versions() -> dict[str, str]:
    """The exact store tag behind each category model's answers (an ensemble answer names both)."""
    tags = {kind: str(champion_model(kind).tag) for kind in (ModelName.TFIDF, ModelName.TRANSFORMER)}
    return {model: served.answered_by(model, tags) for model in (*tags, ModelName.ENSEMBLE)}
