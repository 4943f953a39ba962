"""The same job on Apache Spark (local[2], one session): the output and the errors of the local job."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.batch.conftest import PII_TICKET, ProjectScorer, read_output, starter_rows, write_csv

pytestmark = pytest.mark.slow
FLOATS = ("confidence", "scores", "priority_confidence", "priority_scores")


def test_spark_writes_what_the_local_job_writes(starter: ProjectScorer, project_copy: Path, tmp_path: Path) -> None:
    rows = [*starter_rows(24), {"id": "pii", "text": PII_TICKET}, {"id": "empty", "text": ""}]
    source = write_csv(tmp_path / "tickets.csv", rows)
    starter.run(source, tmp_path / "local")
    command = [sys.executable, "-m", "batch", str(source), str(tmp_path / "spark"), "--spark", "local[2]"]
    result = subprocess.run(command, cwd=project_copy, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "25 rows scored, 1 errors" in result.stdout
    local, spark = read_output(tmp_path / "local"), read_output(tmp_path / "spark")
    exact = [column for column in local.columns if column not in FLOATS]
    pd.testing.assert_frame_equal(spark[exact], local[exact])
    # Spark's partitions batch the transformer differently (other padding): equal up to float noise.
    np.testing.assert_allclose(spark["confidence"], local["confidence"], rtol=1e-6)
    for ours, theirs in zip(local["scores"], spark["scores"], strict=True):
        assert ours.keys() == theirs.keys() and np.allclose(list(ours.values()), list(theirs.values()), rtol=1e-6)
    spark_errors = pd.concat(pd.read_csv(path) for path in (tmp_path / "spark" / "_errors").glob("*.csv"))
    local_errors = pd.read_csv(tmp_path / "local" / "_errors.csv")
    assert spark_errors.values.tolist() == local_errors.values.tolist() == [[25, "empty", "empty text"]]
