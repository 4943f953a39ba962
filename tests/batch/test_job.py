"""The batch job in-process on the session's trained project: output, errors, summary, resume after a real kill."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from batch.output import SCHEMA
from core.errors import ConfigError
from tests.batch.conftest import PII_TICKET, PII_VALUES, ProjectScorer, read_output, starter_rows, write_csv

pytestmark = pytest.mark.slow
TOO_LONG = "printer " * 3000  # 24,000 characters > serving.max_text_chars


def test_rows_are_scored_and_the_unscorable_ones_listed_with_their_reason(
    starter: ProjectScorer, tmp_path: Path
) -> None:
    rows = [
        *starter_rows(20),
        {"id": "pii", "text": PII_TICKET},
        {"id": "empty", "text": "  "},
        {"id": "long", "text": TOO_LONG},
    ]
    source = write_csv(tmp_path / "tickets.csv", rows, extra_lines=("bad,one,field,too many",))
    summary = starter.run(source, tmp_path / "out", "--chunk-rows", "8")
    out = read_output(tmp_path / "out")
    assert pq.read_schema(next((tmp_path / "out").glob("part-*.parquet"))) == SCHEMA
    assert out["id"].tolist() == [f"T{i:04d}" for i in range(20)] + ["pii"]
    assert out["model"].isin(["tfidf", "transformer", "ensemble"]).all() and out["priority"].isna().all()
    tags = starter.scorer.tags
    assert set(out["model_version"]) <= {tags["tfidf"], tags["transformer"], f"{tags['tfidf']}+{tags['transformer']}"}
    assert out.set_index("id").loc["pii", "pii"] == {"EMAIL_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1}
    errors = pd.read_csv(tmp_path / "out" / "_errors.csv")
    assert errors.fillna("").values.tolist() == [
        [21, "empty", "empty text"],
        [22, "long", "text longer than 20000 characters (serving.max_text_chars)"],
        [23, "", "expected 2 fields, found 4"],
    ]
    assert (summary.rows_read, summary.rows_scored, summary.rows_with_errors, summary.chunks) == (24, 21, 3, 3)
    written = "".join(path.read_bytes().decode("latin-1") for path in (tmp_path / "out").rglob("*") if path.is_file())
    assert not any(value in written for value in PII_VALUES)  # only counts and the scrubbed explanation leave


def test_a_killed_job_resumes_where_it_stopped_and_ends_as_an_uninterrupted_one(
    starter: ProjectScorer, project_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "tickets.csv", starter_rows(120))
    starter.run(source, tmp_path / "reference", "--chunk-rows", "10")
    out = tmp_path / "killed"
    command = [
        sys.executable,
        "-m",
        "batch",
        str(source),
        str(out),
        "--chunk-rows",
        "10",
        "--workers",
        "2",
        "--no-progress",
    ]
    job = subprocess.Popen(command, cwd=project_copy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not (out / "part-00001.parquet").exists():
        assert job.poll() is None and time.monotonic() < deadline, job.stderr.read().decode()[-3000:]
        time.sleep(0.05)
    workers = psutil.Process(job.pid).children(recursive=True)
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    done = sorted(path.name for path in out.glob("part-*.parquet"))
    assert 2 <= len(done) < 12 and not (out / "_SUCCESS").exists(), f"not killed mid-file: {done}"
    psutil.wait_procs(workers, timeout=15)
    assert not [worker for worker in workers if worker.is_running()], "workers outlived the killed job"

    summary = starter.run(source, out, "--chunk-rows", "10")  # the same job again: only the missing parts
    assert summary.chunks_resumed == len(done) and (out / "_SUCCESS").exists()
    pd.testing.assert_frame_equal(read_output(out), read_output(tmp_path / "reference"))
    assert json.loads((out / "_manifest.json").read_text()) == json.loads(
        (tmp_path / "reference" / "_manifest.json").read_text()
    ) | {"input": str(source)}


def test_an_output_of_another_job_is_never_mixed_with_a_new_one(starter: ProjectScorer, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "tickets.csv", starter_rows(6))
    starter.run(source, tmp_path / "out")
    with pytest.raises(ConfigError, match=r"holds a job with other \['chunk_rows'\]; pass --overwrite"):
        starter.run(source, tmp_path / "out", "--chunk-rows", "2")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="exists and is not a batch output"):
        starter.run(source, tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "notes.txt").read_text() == "mine"
    assert starter.run(source, tmp_path / "out", "--chunk-rows", "2", "--overwrite").chunks == 3
