"""Change one byte of a real artifact, as an attacker or a bad disk would: for the integrity tests."""

from pathlib import Path
from urllib.parse import urlparse

from mlflow import MlflowClient


def flip_byte(path: Path, offset: int | None = None) -> int:
    """Invert one byte of `path` in place (by default one in its middle); returns the offset."""
    data = bytearray(path.read_bytes())
    offset = len(data) // 2 if offset is None else offset
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return offset


def registry_folder(model_name: str, version: str) -> Path:
    """Where a registered version's files live in a local MLflow artifact store."""
    return Path(urlparse(MlflowClient().get_model_version_download_uri(model_name, version)).path)
