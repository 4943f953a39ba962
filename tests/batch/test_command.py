"""The `callcenter` command, run as its console script runs it: `batch` scores a file, `chat` keeps its options."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from devkit.project import REPO
from tests.batch.conftest import PII_TICKET, PII_VALUES, read_output, starter_rows, write_csv

pytestmark = pytest.mark.slow


def callcenter(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`callcenter ARGS` as setuptools' console script does it: import pyproject's entry point, exit with it."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    module, function = scripts["callcenter"].split(":")
    code = f"import sys; sys.argv[0] = 'callcenter'; from {module} import {function}; sys.exit({function}())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_callcenter_batch_scores_a_file_through_the_console_entry_point(
    project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "tickets.csv", [*starter_rows(3), {"id": "pii", "text": PII_TICKET}])
    out = tmp_path / "out"
    done = callcenter("batch", str(source), str(out), "--workers", "1", "--no-progress", cwd=project_copy)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"batch: 4 rows read from {source}: 4 scored, 0 errors" in done.stdout
    scored = read_output(out)
    assert scored["id"].tolist() == ["T0000", "T0001", "T0002", "pii"]
    assert scored.set_index("id").loc["pii", "pii"] == {"EMAIL_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1}
    written = "".join(path.read_bytes().decode("latin-1") for path in out.rglob("*") if path.is_file())
    assert not any(value in written for value in PII_VALUES)

    missing = callcenter("batch", str(tmp_path / "none.csv"), str(tmp_path / "out2"), cwd=project_copy)
    assert missing.returncode == 1 and "none.csv" in missing.stderr and "Traceback" not in missing.stderr


def test_callcenter_hands_each_command_its_own_options_and_refuses_unknown_ones(project_copy: Path) -> None:
    overview = callcenter("--help", cwd=project_copy)
    assert overview.returncode == 0 and "callcenter batch IN OUT" in overview.stdout and "chat" in overview.stdout
    batch = callcenter("batch", "--help", cwd=project_copy)
    assert batch.returncode == 0 and batch.stdout.startswith("usage: callcenter batch") and "--spark" in batch.stdout
    chat = callcenter("chat", "--help", cwd=project_copy)
    assert chat.returncode == 0 and "--session" in chat.stdout and "--url" in chat.stdout
    unknown = callcenter("train", cwd=project_copy)
    assert unknown.returncode == 2 and "invalid choice: 'train'" in unknown.stderr
    assert callcenter(cwd=project_copy).returncode == 2  # no command: usage, not a traceback
