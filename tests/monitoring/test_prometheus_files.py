"""promtool accepts the config and the rules, and the alerts fire (or stay quiet) on synthetic series."""

import subprocess
from pathlib import Path

import pytest

from core.params import load_params
from tests.monitoring.conftest import MONITORING
from tests.monitoring.promql import alert_rules, measured_operands

RULE_TESTS = Path(__file__).with_name("alerts_test.yml")


def promtool(tools: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([tools["promtool"], *args], capture_output=True, text=True, timeout=60)


def test_prometheus_config_and_its_rule_files_pass_promtool(prometheus_tools: dict[str, str]) -> None:
    result = promtool(prometheus_tools, "check", "config", str(MONITORING / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_promtool(prometheus_tools: dict[str, str]) -> None:
    result = promtool(prometheus_tools, "check", "rules", str(MONITORING / "alerts.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alerts_fire_on_synthetic_incidents_and_stay_quiet_on_normal_traffic(prometheus_tools: dict[str, str]) -> None:
    result = promtool(prometheus_tools, "test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_rule_unit_test() -> None:
    tested = RULE_TESTS.read_text()
    untested = [rule["alert"] for rule in alert_rules(MONITORING / "alerts.yml") if rule["alert"] not in tested]
    assert not untested, f"alerts without a case in {RULE_TESTS.name}: {untested}"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("rate(a[5m]) > 0.1", ["rate(a[5m])"]),
        ('sum(x{code=~"5..", e!="a>b"}) / sum(y) >= 1', ['sum(x{code=~"5..", e!="a>b"}) / sum(y)']),
        ("a > bool 2 and on() b_total < 3", ["a", "b_total"]),
        ("(a > 1) - b", ["(a > 1) - b"]),
        ("up == 0", ["up"]),
        ("sum(candidates) unless ignoring(x) group_left other", ["sum(candidates)", "other"]),
    ],
)
def test_measured_operands_split_only_top_level_comparisons(expr: str, expected: list[str]) -> None:
    assert measured_operands(expr) == expected


def test_drift_alerts_use_the_thresholds_the_agent_judges_with() -> None:
    drift = load_params()["drift"]
    rules = {rule["alert"]: rule["expr"] for rule in alert_rules(MONITORING / "alerts.yml")}
    for alert, limit in (("ConfidenceDrop", "max_confidence_drop"), ("OutOfVocabularyRise", "max_oov_rise")):
        assert f"> {drift[limit]}\n" in rules[alert], f"{alert}: not params.yaml's drift.{limit}"
        assert f">= {drift['min_tickets']}" in rules[alert], f"{alert}: not params.yaml's drift.min_tickets"
