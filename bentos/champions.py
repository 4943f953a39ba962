"""Which store tag each model service serves: the one the import stage recorded, never `:latest`.

`latest` would serve whatever was imported last (a rolled-back champion never, a store shared by
two checkouts the newest of either). The record is read when the service module is imported,
because BentoML collects a service's models from its class attributes.
"""

import bentoml

from core.errors import ConfigError
from core.params import load_params
from core.served import served_record

# Keeps the module importable before any training (API introspection, `bentoml build` errors
# name it); loading this tag fails, and the service says how to fix it.
NOT_IMPORTED = "not-imported"


def champion_model(kind: str) -> bentoml.models.BentoModel:
    """The BentoML model the import stage recorded for `kind` (tfidf | transformer | priority)."""
    params = load_params()
    tag = (served_record(params["registry"], kind) or {}).get("bento_tag")
    return bentoml.models.BentoModel(tag or f"{params['registry'][f'{kind}_model']}:{NOT_IMPORTED}")


def require_imported(service: object, kind: str) -> None:
    """A clear error when no champion of `kind` was imported (instead of BentoML's 'not found').

    Reads the class attribute itself: reading it through the instance resolves (loads) the model.
    """
    if type(service).bento_model.tag.version == NOT_IMPORTED:
        record = load_params()["registry"]["served_records"][kind]
        raise ConfigError(f"no {kind} champion recorded in {record}: run `dvc repro` (its import_{kind} stage)")
