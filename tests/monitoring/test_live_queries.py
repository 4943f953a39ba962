"""Every dashboard query and every alert's measured side returns data from a real scrape of the project.

A panel or alert that returns nothing after real traffic is a wrong metric name, label or window.
Alert expressions are `<measured> <comparison> <threshold>`: the comparison filters the result,
so each non-constant operand is evaluated on its own and must return at least one real number.
"""

import httpx
import pytest

from tests.monitoring.conftest import MONITORING, SERVED
from tests.monitoring.promql import alert_rules, dashboard_expressions, has_finite_value, measured_operands, query

DASHBOARDS = sorted((MONITORING / "grafana" / "dashboards").glob("*.json"))
PANEL_QUERIES = [(f"{path.stem}: {title}", expr) for path in DASHBOARDS for title, expr in dashboard_expressions(path)]
ALERT_OPERANDS = [
    (f"{rule['alert']} operand {index}", operand)
    for rule in alert_rules(MONITORING / "alerts.yml")
    for index, operand in enumerate(measured_operands(rule["expr"]))
]

EXPRESSIONS = PANEL_QUERIES + ALERT_OPERANDS


def test_dashboards_and_alerts_have_queries_to_check() -> None:
    assert DASHBOARDS, "no dashboard JSON in monitoring/grafana/dashboards"
    assert len(PANEL_QUERIES) >= 10
    assert {name.split(" operand")[0] for name, _ in ALERT_OPERANDS} == {
        rule["alert"] for rule in alert_rules(MONITORING / "alerts.yml")
    }


@pytest.mark.slow
@pytest.mark.parametrize(("name", "expr"), EXPRESSIONS, ids=[name for name, _ in EXPRESSIONS])
def test_query_returns_data_after_real_traffic(scraped: str, name: str, expr: str) -> None:
    if "callcenter_" in expr and not SERVED.exports_agent_metrics:
        pytest.skip(f"{SERVED.service} does not export the agent's callcenter_* metrics: serve the agent")
    values = query(scraped, expr)
    assert has_finite_value(values), f"{name}: {expr!r} returned {values or 'no data'}"


@pytest.mark.slow
def test_every_alert_rule_evaluates_without_error(scraped: str) -> None:
    groups = httpx.get(f"{scraped}/api/v1/rules", timeout=10).json()["data"]["groups"]
    rules = {rule["name"]: rule for group in groups for rule in group["rules"]}
    assert set(rules) == {rule["alert"] for rule in alert_rules(MONITORING / "alerts.yml")}
    unhealthy = {name: rule.get("lastError") for name, rule in rules.items() if rule["health"] != "ok"}
    assert not unhealthy


@pytest.mark.slow
def test_a_component_without_metrics_endpoint_raises_service_target_down(scraped: str) -> None:
    alerts = httpx.get(f"{scraped}/api/v1/alerts", timeout=10).json()["data"]["alerts"]
    down = {alert["labels"]["component"] for alert in alerts if alert["labels"]["alertname"] == "ServiceTargetDown"}
    assert down == {"tfidf", "transformer"}
