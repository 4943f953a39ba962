"""Discover topics in unlabelled tickets, and promote one (or a proposed merge) to a new category.

    python -m train.topics --input tickets.csv            # report: reports/topics/topics.{md,html}
    python -m train.topics promote --topics 0 6 --name Purchase
    make retrain                                           # the pipeline learns the new category

Discovery reads the unlabelled tickets of a file (CSV or Parquet: a layout's text columns or
--text-col), holds every topic against the categories of the prepared training split, logs the
report to MLflow and writes the topic of each ticket, which `promote` turns into labelled rows
for `prepare` (`feedback.promoted_path`).
"""

import argparse
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import mlflow
import pandas as pd

from core.columns import LABEL, TEXT
from core.errors import DatasetError, one_line_errors
from core.params import load_params, resolve_path
from train.data import load_texts
from train.prepare import load_splits
from train.topics.discover import Discovery, discover
from train.topics.report import html_page, markdown, topic_rows
from train.tracking import configure_mlflow

TOPIC = "topic"
SOURCE, PROMOTED_AT = "source", "promoted_at"


def scrubber() -> Callable[[str], str]:
    """detect + scrub, as the agent does: report examples never show personal data."""
    from router.pipeline import TicketPipeline

    pipeline = TicketPipeline(load_params())
    return lambda text: pipeline.prepare(text).text


def log_to_mlflow(discovery: Discovery, pool: pd.DataFrame, params: dict, out: Path) -> None:
    """One MLflow run per discovery: its params, the topics table and the report."""
    with mlflow.start_run(run_name="topics"):
        mlflow.log_params({f"topics.{key}": value for key, value in params.items() if key != "tfidf"})
        mlflow.log_params({"pool_rows": len(pool)})
        mlflow.log_metrics({"topics_found": len(discovery.topics), "merges_proposed": len(discovery.merges)})
        mlflow.log_table(pd.DataFrame(topic_rows(discovery)), "topics/table.json")
        for name in ("topics.md", "topics.html", "topics.json"):
            mlflow.log_artifact(str(out / name), "topics")


def run_discovery(args: argparse.Namespace, params: dict) -> None:
    """Discover, write the report and the assignments, log to MLflow, print the proposals."""
    topic_params = params["topics"]
    pool = load_texts(args.input, params["data"]["layouts"], args.text_col)
    labelled = load_splits()["train"]
    discovery = discover(pool, labelled, topic_params)
    out = resolve_path(topic_params["report_dir"])
    out.mkdir(parents=True, exist_ok=True)
    scrub = scrubber()
    (out / "topics.md").write_text(markdown(discovery, pool, topic_params, scrub), encoding="utf-8")
    (out / "topics.html").write_text(html_page(discovery, pool, topic_params, scrub), encoding="utf-8")
    assignments = pool.assign(**{TOPIC: discovery.assignment})
    assignments.to_parquet(out / "assignments.parquet", index=False)
    summary = {"pool_rows": len(pool), "merges": discovery.merges, "topics": topic_rows(discovery)}
    (out / "topics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    configure_mlflow(params["tracking"])
    log_to_mlflow(discovery, pool, topic_params, out)
    print(pd.DataFrame(topic_rows(discovery)).to_string(index=False))
    print(
        f"topics: report in {out / 'topics.md'} and {out / 'topics.html'}; proposed new categories: {discovery.merges}"
    )


def promoted_rows(assignments: pd.DataFrame, topic_ids: list[int], name: str) -> pd.DataFrame:
    """The tickets of the chosen topics as labelled rows of the new category."""
    known = sorted(int(topic) for topic in set(assignments[TOPIC]) - {-1})
    unknown = sorted(set(topic_ids) - set(known))
    if unknown:
        raise DatasetError(f"topics {unknown} are not in the last discovery (its topics: {known})")
    chosen = assignments[assignments[TOPIC].isin(topic_ids)]
    source = f"topics {' '.join(map(str, topic_ids))}"
    return pd.DataFrame({TEXT: chosen[TEXT], LABEL: name, SOURCE: source, PROMOTED_AT: datetime.now(UTC)})


def run_promotion(args: argparse.Namespace, params: dict) -> None:
    """Append the chosen topics' tickets, labelled `--name`, to the promoted-rows file `prepare` merges."""
    name = args.name.strip()
    if not name:
        raise DatasetError("promote: --name must not be empty")
    assignments_path = resolve_path(params["topics"]["report_dir"]) / "assignments.parquet"
    if not assignments_path.is_file():
        raise DatasetError(f"{assignments_path}: no discovery yet; run `python -m train.topics --input FILE` first")
    rows = promoted_rows(pd.read_parquet(assignments_path), args.topics, name)
    target = resolve_path(params["feedback"]["promoted_path"])
    previous = pd.read_parquet(target) if target.is_file() else rows.iloc[:0]
    merged = pd.concat([previous[~previous[TEXT].isin(rows[TEXT])], rows], ignore_index=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    merged.to_parquet(target, index=False)
    print(f"promote: {len(rows)} tickets of topics {args.topics} labelled {name!r} in {target}; now `make retrain`")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, help="unlabelled tickets (CSV or Parquet)")
    parser.add_argument("--text-col", nargs="+", help="text column(s), instead of a params.yaml layout")
    commands = parser.add_subparsers(dest="command")
    promote = commands.add_parser("promote", help="label the tickets of topics as a (new) category")
    promote.add_argument("--topics", type=int, nargs="+", required=True, help="topic ids (a proposed merge)")
    promote.add_argument("--name", required=True, help="the category's name")
    return parser.parse_args()


@one_line_errors
def main() -> None:
    args = parse_args()
    params = load_params()
    if args.command == "promote":
        run_promotion(args, params)
    elif args.input is None:
        raise DatasetError("topics: --input FILE is required for discovery")
    else:
        run_discovery(args, params)


if __name__ == "__main__":
    main()
