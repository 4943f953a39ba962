"""The retraining signal without a training baseline: drift gauges NaN and a log line, corrections still count."""

import logging
import math
from pathlib import Path

import pytest

from bentos.metrics import DRIFT_MEAN_CONFIDENCE, RETRAIN_RECOMMENDED
from bentos.retrain import RetrainSignal
from core.params import load_params


def test_without_a_baseline_drift_stays_nan_and_corrections_still_recommend_retraining(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    params = load_params()
    params = {**params, "drift": {**params["drift"], "baseline": str(tmp_path / "routing.json")}}
    with caplog.at_level(logging.WARNING):
        signal = RetrainSignal({**params, "loop": {"retrain_after_corrections": 2}})
        signal.observe([])
        signal.corrections(1)
        assert signal.reasons == {} and RETRAIN_RECOMMENDED.labels(reason="corrections")._value.get() == 0
        signal.corrections(2)
        signal.corrections(3)
    assert signal.window is None and math.isnan(DRIFT_MEAN_CONFIDENCE.labels(window="served")._value.get())
    assert signal.reasons == {"corrections": "3 corrections of answers from the served model versions"}
    assert RETRAIN_RECOMMENDED.labels(reason="corrections")._value.get() == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"no training baseline in {tmp_path / 'routing.json'}" in message for message in messages)
    assert sum("retraining recommended (corrections)" in message for message in messages) == 1
