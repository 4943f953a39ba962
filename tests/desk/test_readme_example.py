"""The README's BentoML client example, exactly as written, against a served agent (only the URL changes)."""

import contextlib
import io
import re

from devkit.project import REPO
from tests.desk.conftest import Desk

MARKER = "<!-- desk-client-example"
README_URL = "http://localhost:3000"


def readme_example() -> str:
    """The python block right after the marker comment in README.md."""
    after = (REPO / "README.md").read_text().split(MARKER, 1)[1]
    return re.search(r"```python\n(.*?)```", after, re.DOTALL)[1]


def test_the_readme_client_example_runs_against_a_served_agent(desk: Desk) -> None:
    code = readme_example()
    assert README_URL in code and "bentoml.SyncHTTPClient" in code
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.replace(README_URL, desk.url), "README.md", "exec"), {})  # noqa: S102 (our own README)
    category, correction, queued, reply = printed.getvalue().strip().split(" | ")
    assert category in desk.http.get("/tickets", params={"limit": 1}).json()["items"][0]["scores"]
    assert correction == "Access" and int(queued) >= 0
    assert re.match(r"Ticket \d+ \[new\]: ", reply)
