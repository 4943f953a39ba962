"""The GitHub workflows parse, cover lint/tests/security/release, and run Makefile commands through make."""

import re
from pathlib import Path

import pytest
import yaml

from devkit.project import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# Tools the Makefile runs; `tool subcommand` for the ones whose first word alone says little.
TWO_WORD_TOOLS = {"ruff", "dvc", "bentoml", "pip", "apt-get"}
MAKE_TARGET = re.compile(r"^([^\s:=#]+):(?!=)")


def signature(command: str) -> str | None:
    """`ruff check`, `pytest`, `dvc repro`...: what a command runs, without paths, sudo or env prefixes."""
    command = command.split("#")[0].strip().lstrip("@").rstrip("\\")
    words = [w for w in command.split() if w not in {"$(SUDO)", "sudo", "env"}]
    words = [w for w in words if "=" not in w or w.startswith("-")]
    if not words:
        return None
    tool = re.sub(r"^(\$\(BIN\)|\.venv/bin)/", "", words[0])
    if tool == "python" and words[1:2] == ["-m"] and len(words) > 2:
        return f"python -m {words[2]}"  # the module is what runs
    return f"{tool} {words[1]}" if tool in TWO_WORD_TOOLS and len(words) > 1 else tool


def makefile_commands() -> dict[str, str]:
    """Signature of each command in a Makefile recipe -> its target."""
    commands, target = {}, None
    for line in (REPO / "Makefile").read_text().splitlines():
        if match := MAKE_TARGET.match(line):
            target = match[1]
        elif line.startswith("\t") and target and (found := signature(line)) and found != "touch":
            commands[found] = target
    return commands


def run_lines(workflow: dict) -> list[str]:
    """Every shell line of every `run:` step."""
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    return [line for step in steps if "run" in step for line in step["run"].splitlines() if line.strip()]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_lint_tests_security_and_release_workflows_exist_and_parse() -> None:
    assert {path.stem for path in WORKFLOWS} == {"lint", "tests", "security", "release"}
    for path in WORKFLOWS:
        workflow = load(path)
        # PyYAML reads the key `on` as True.
        assert workflow.get("on", workflow.get(True)), f"{path.name} has no trigger"
        assert all(job["steps"] for job in workflow["jobs"].values())


def test_release_runs_on_version_tags_and_pushes_a_scanned_image() -> None:
    workflow = load(REPO / ".github" / "workflows" / "release.yml")
    assert workflow[True]["push"]["tags"] == ["v*"]
    text = "\n".join(run_lines(workflow))
    for step in ("bentoml build", "bentoml containerize", "docker push", "train.import_bento"):
        assert step in text
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(use.startswith("aquasecurity/trivy-action") for use in uses)


def test_tests_workflow_runs_what_ci_runs_here() -> None:
    ci_run = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci_run
    assert "make test" in run_lines(load(REPO / ".github" / "workflows" / "tests.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_runs_makefile_commands_only_through_make(path: Path) -> None:
    owned = makefile_commands()
    assert {"ruff check", "pytest", "bandit"} <= set(owned), owned
    for line in run_lines(load(path)):
        found = signature(line)
        assert found not in owned, f"{path.name}: `{line.strip()}` bypasses `make {owned.get(found)}`"


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.MULTILINE)
FULL_SHA = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_every_action_is_pinned_by_full_commit_sha_with_its_version_named(path: Path) -> None:
    """A tag can be moved to other code (trivy-action's were, in March 2026); a commit cannot."""
    uses = USES.findall(path.read_text())
    steps = [step for job in load(path)["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(uses) == len(steps) > 0
    for action, comment in uses:
        assert FULL_SHA.match(action), f"{path.name}: {action} is not pinned to a commit"
        assert re.search(r"#\s*v\d", comment), f"{path.name}: {action} does not say which release the commit is"
