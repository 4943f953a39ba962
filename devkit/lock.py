"""Regenerate requirements.lock and requirements-spark.lock, with sha256 hashes, from what the venv has installed.

    make lock                                  # = python -m devkit.lock
    python -m devkit.lock --pins FILE          # hash these `name==version` pins instead of `pip freeze`

Every pin gets the hashes PyPI publishes for that version (uv pip compile --generate-hashes
--no-deps: no resolution, the pins are the installed set). torch is the CPU build that pip
installs from this machine's wheel folder (pip's find-links), not PyPI's CUDA build: its line is
`torch==2.13.0` with the hash of that very wheel. `make install` then installs with
`pip install --require-hashes`: a file whose bytes differ from the lock is refused. The packages
named in requirements-spark.lock (PySpark, for `callcenter batch --spark`) are hashed there and kept
out of requirements.lock, which the Bento's image installs.
"""

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from devkit.project import REPO

LOCK = REPO / "requirements.lock"
SPARK_LOCK = REPO / "requirements-spark.lock"
HEADER = """\
# The whole pinned dependency set (Python 3.11, CPU), each file pinned by sha256.
# Installed by `make install` with `pip install --require-hashes`. Regenerate: `make lock`
# (from the installed .venv; see devkit/lock.py). torch is the CPU wheel pip takes from this
# machine's wheel folder: its hash is that file's.
"""
SPARK_HEADER = """\
# `callcenter batch --spark`: PySpark and its one dependency, each file pinned by sha256 (the JRE comes
# from apt: `make spark-tools`). Kept apart from requirements.lock, which the Bento's image installs:
# serving needs no Spark. Regenerate: `make lock` (devkit/lock.py).
"""
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)$")
TORCH = "torch"


def installed_pins() -> list[str]:
    """`name==version` of every package in this interpreter's environment but the project itself."""
    freeze = [sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--all"]
    lines = subprocess.run(freeze, check=True, capture_output=True, text=True).stdout.splitlines()
    return [line for line in lines if PIN.match(line) and not line.lower().startswith(("pip==", "setuptools=="))]


def public_version(pin: str) -> tuple[str, str]:
    """(name, version without a local label): `torch==2.13.0+cpu` -> ('torch', '2.13.0')."""
    name, version = PIN.match(pin).groups()
    return name, version.split("+")[0]


def hashed_from_pypi(pins: list[str]) -> str:
    """uv's hashed requirements for `pins` (no dependency resolution)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as handle:
        handle.write("\n".join(pins) + "\n")
        handle.flush()
        command = ["uv", "pip", "compile", handle.name, "--generate-hashes", "--no-deps", "--no-header"]
        command += ["--no-annotate", "--python-version", "3.11", "--quiet"]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def torch_wheel_hash(version: str) -> str:
    """sha256 of the torch wheel pip installs here (its configured find-links: the CPU build)."""
    with tempfile.TemporaryDirectory() as folder:
        download = [sys.executable, "-m", "pip", "download", f"{TORCH}=={version}", "--no-deps", "-q", "-d", folder]
        subprocess.run(download, check=True, capture_output=True, text=True)
        (wheel,) = Path(folder).glob("*.whl")
        print(f"lock: torch from {wheel.name}")
        return hashlib.sha256(wheel.read_bytes()).hexdigest()


def pinned_names(lock: Path) -> set[str]:
    """The (lower-case) package names a lock file pins."""
    lines = (line.split("==")[0].strip().lower() for line in lock.read_text().splitlines() if "==" in line)
    return {name for name in lines if PIN.match(f"{name}==0")}


def write_lock(path: Path, header: str, entries: list[str]) -> None:
    path.write_text(header + "\n".join(sorted(entries, key=str.lower)) + "\n")
    print(f"lock: wrote {len(entries)} hashed pins to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pins", type=Path, help="a file of name==version lines (default: pip freeze)")
    args = parser.parse_args()
    lines = args.pins.read_text().splitlines() if args.pins else installed_pins()
    pins = dict(public_version(line.strip()) for line in lines if PIN.match(line.strip()))
    torch_version = pins.pop(TORCH)
    spark = pinned_names(SPARK_LOCK)
    spark_pins = [f"{name}=={version}" for name, version in pins.items() if name.lower() in spark]
    hashed = hashed_from_pypi([f"{name}=={version}" for name, version in pins.items() if name.lower() not in spark])
    torch_entry = f"{TORCH}=={torch_version} \\\n    --hash=sha256:{torch_wheel_hash(torch_version)}\n"
    write_lock(LOCK, HEADER, [*re.split(r"\n(?=\S)", hashed.strip()), torch_entry.strip()])
    write_lock(SPARK_LOCK, SPARK_HEADER, re.split(r"\n(?=\S)", hashed_from_pypi(spark_pins).strip()))


if __name__ == "__main__":
    main()
