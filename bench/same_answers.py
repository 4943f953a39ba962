"""Same categories as the code before the speed work? Serve both versions on the same champions and compare.

    python -m bench.same_answers --rev 55e5991 --samples 500

Run in a project whose `dvc repro` imported both champions (its served/ and test split are used).
The old code comes from `git archive REV` of this repository into a temporary folder that gets
this project's served/ and params.yaml; each version answers the same fixed sample of the test
split through /classify_batch, one after the other.
"""

import argparse
import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import httpx

from bench.serving_bench import AGENT, wait_healthy
from core.columns import TEXT
from core.params import load_params
from devkit.project import REPO
from devkit.servers import serve
from train.prepare import load_splits


def old_code(repo: Path, rev: str, destination: Path) -> Path:
    """The repository at `rev`, with the current project's served/ and params.yaml."""
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    shutil.copytree(Path.cwd() / "served", destination / "served", dirs_exist_ok=True)
    shutil.copy2(Path.cwd() / "params.yaml", destination / "params.yaml")
    return destination


def categories(project: Path, texts: list[str], batch: int, wait_models: bool) -> list[str]:
    """The served agent's category for each text."""
    with serve(AGENT, project, timeout=600) as (_, url, _):
        if wait_models:
            wait_healthy(url)
        answers = []
        for start in range(0, len(texts), batch):
            response = httpx.post(f"{url}/classify_batch", json={"texts": texts[start : start + batch]}, timeout=600)
            response.raise_for_status()
            answers += [answer["category"] for answer in response.json()]
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="55e5991", help="the code before the speed work")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--repo", type=Path, default=REPO, help="the git repository holding --rev")
    args = parser.parse_args()
    params = load_params()
    test = load_splits()["test"]
    texts = test.sample(n=min(args.samples, len(test)), random_state=params["split"]["seed"])[TEXT].astype(str).tolist()
    batch = params["serving"]["max_batch_texts"]
    with tempfile.TemporaryDirectory(prefix="old-agent-") as folder:
        before = categories(old_code(args.repo, args.rev, Path(folder)), texts, batch, wait_models=False)
    after = categories(Path.cwd(), texts, batch, wait_models=True)
    differ = [i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    print(f"{len(texts)} test tickets: {len(texts) - len(differ)} same categories, {len(differ)} different")
    for index in differ[:10]:
        print(f"  {before[index]} -> {after[index]}: {texts[index][:100]!r}")


if __name__ == "__main__":
    main()
