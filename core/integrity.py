"""sha256 digests of a model's artifact files: recorded by the champion gate, checked before any load.

A model is a folder of files (MLflow's model folder, or its copy in the BentoML store). Its digest
manifest maps each file's path inside the folder to its sha256; the gate stores it as a model-version
tag, the import stage copies it into `served/<kind>.json`, and the import stage and the services
refuse a folder whose files differ from it in any way.
"""

import hashlib
import json
from pathlib import Path

from core.errors import IntegrityError

DIGEST_TAG = "artifact_sha256"
# Where bentoml.mlflow keeps the MLflow model folder inside a BentoML store model: what is checked there.
STORE_FOLDER = "mlflow_model"
# Written by MLflow when it downloads a `models:/` URI (name and version); never read by a runtime.
DOWNLOAD_METADATA = frozenset({"registered_model_meta"})
CHUNK_BYTES = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of one file, read in chunks (artifacts run to hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def artifact_digests(folder: Path | str) -> dict[str, str]:
    """{path inside `folder` (posix): sha256} for every file of a model folder."""
    root = Path(folder)
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {path.relative_to(root).as_posix(): sha256_of(path) for path in files if path.name not in DOWNLOAD_METADATA}


def verify_artifacts(folder: Path | str, expected: dict[str, str], what: str) -> None:
    """Raise IntegrityError unless `folder` holds exactly the files of `expected`, byte for byte."""
    found = artifact_digests(folder)
    changed = sorted(name for name in expected.keys() & found.keys() if expected[name] != found[name])
    missing = sorted(expected.keys() - found.keys())
    added = sorted(found.keys() - expected.keys())
    problems = [
        f"{label}: {', '.join(names)}"
        for label, names in (("changed", changed), ("missing", missing), ("not recorded", added))
        if names
    ]
    if problems:
        raise IntegrityError(
            f"{what} at {folder} does not match the sha256 digests the champion gate recorded "
            f"({'; '.join(problems)}): refusing to load it"
        )


def encode_digests(digests: dict[str, str]) -> str:
    """The manifest as the JSON text of a model-version tag."""
    return json.dumps(digests, sort_keys=True, separators=(",", ":"))


def decode_digests(recorded: str | dict[str, str] | None, what: str) -> dict[str, str]:
    """The manifest from a tag's JSON text (or a served record's dict); IntegrityError when there is none."""
    if not recorded:
        raise IntegrityError(f"{what} has no recorded {DIGEST_TAG}: it did not pass this project's champion gate")
    return json.loads(recorded) if isinstance(recorded, str) else dict(recorded)
