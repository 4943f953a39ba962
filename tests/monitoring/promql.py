"""Read the expressions the dashboards and alert rules really use, and ask Prometheus about them."""

import json
import math
import re
from pathlib import Path

import httpx
import yaml

# What Grafana substitutes before sending a query; values fit a test that scraped for seconds.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}
SET_OPERATORS = ("and", "or", "unless")
COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
OPENERS, CLOSERS = "([{", ")]}"
VECTOR_MATCHING = re.compile(r"^(bool\s+)?((on|ignoring)\s*\([^)]*\)\s*)?(group_(left|right)\s*(\([^)]*\))?\s*)?")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def substitute_grafana_variables(expr: str) -> str:
    """The query Grafana would send; fails on a variable this test does not know."""
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    if "$" in expr:
        raise ValueError(f"unknown dashboard variable left in {expr!r}")
    return expr


def dashboard_expressions(path: Path) -> list[tuple[str, str]]:
    """(panel title / refId, PromQL) for every query of every panel, rows included."""
    dashboard = json.loads(path.read_text())
    found = []
    panels = list(dashboard["panels"])
    while panels:
        panel = panels.pop(0)
        panels.extend(panel.get("panels", []))
        for target in panel.get("targets", []):
            found.append((f"{panel['title']} / {target['refId']}", substitute_grafana_variables(target["expr"])))
    return found


def alert_rules(path: Path) -> list[dict]:
    """Every alerting rule of a Prometheus rule file."""
    groups = yaml.safe_load(path.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def _top_level_split(expr: str) -> list[str]:
    """Split at comparison and set operators outside any (), [], {} or string."""
    parts, depth, start, i, quote = [], 0, 0, 0, None
    while i < len(expr):
        char = expr[i]
        if quote:
            quote = None if char == quote and expr[i - 1] != "\\" else quote
        elif char in "\"'`":
            quote = char
        elif char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
        elif depth == 0:
            width = _operator_width(expr, i)
            if width:
                parts.append(expr[start:i])
                start = i + width
                i += width
                continue
        i += 1
    return [*parts, expr[start:]]


def _operator_width(expr: str, i: int) -> int:
    """Length of the comparison or set operator starting at expr[i], or 0."""
    for operator in COMPARISONS:
        if expr.startswith(operator, i) and not expr.startswith("=~", i) and not expr.startswith("!~", i):
            return len(operator)
    for word in SET_OPERATORS:
        before = expr[i - 1] if i else " "
        after = expr[i + len(word)] if i + len(word) < len(expr) else " "
        if expr.startswith(word, i) and not _is_name_char(before) and not _is_name_char(after):
            return len(word)
    return 0


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def measured_operands(expr: str) -> list[str]:
    """The non-constant sides of an alert expression: `A > 0.05 and B` -> [A, B]."""
    operands = []
    for part in _top_level_split(expr):
        operand = VECTOR_MATCHING.sub("", part.strip()).strip()
        if operand and not NUMBER.match(operand):
            operands.append(operand)
    return operands


def query(base_url: str, expr: str) -> list[float]:
    """Instant query; the values of the returned vector (or scalar), failing on a query error."""
    response = httpx.get(f"{base_url}/api/v1/query", params={"query": expr}, timeout=10)
    body = response.json()
    if body.get("status") != "success":
        raise AssertionError(f"Prometheus rejected {expr!r}: {body.get('error', response.text)}")
    data = body["data"]
    if data["resultType"] == "scalar":
        return [float(data["result"][1])]
    return [float(sample["value"][1]) for sample in data["result"]]


def has_finite_value(values: list[float]) -> bool:
    """At least one sample is a real number (histogram_quantile of nothing gives NaN)."""
    return any(math.isfinite(value) for value in values)
