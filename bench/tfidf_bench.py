"""TF-IDF benchmark on real data: accuracy, training time, serving latency vs in-process, worker memory.

Runs the real pipeline (`dvc repro import_tfidf`) in a throwaway copy of the project with temporary
MLflow and BentoML stores, then serves TfidfClassifier and times it.
Usage: python -m bench.tfidf_bench [--data ../shared/data/it_service_tickets.csv] [--requests 500]
"""

import argparse
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from bench.serving import imports_torch, time_calls, time_http, worker_processes
from devkit.project import REPO, copy_project, run, set_params
from devkit.servers import serve
from models.tfidf import TfidfPredictor

TARGETS = {"macro_f1": 0.87, "train_seconds": 120, "p50_ms": 10, "rss_mb": 300}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/it_service_tickets.csv")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tfidf-bench-"))
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{workdir / 'mlflow.db'}"
    os.environ["BENTOML_HOME"] = str(workdir / "bentoml")
    project = copy_project(workdir / "project")
    set_params(project, {"data.path": str(args.data.resolve())})
    run(["dvc", "repro", "import_tfidf"], project)
    report = json.loads((project / "metrics/tfidf.json").read_text())
    print(f"data: {args.data} ({json.loads((project / 'data/processed/prepare_report.json').read_text())})")
    print(f"features chosen on validation: {report['features']}")
    print(f"test accuracy {report['accuracy']:.4f}, macro-F1 {report['macro_f1']:.4f}", end=" ")
    print(f"(target >= {TARGETS['macro_f1']})")
    print(f"training time (all candidates) {report['train_seconds']:.1f} s (target < {TARGETS['train_seconds']} s)")
    bench_serving(project, args.requests, args.clients)


def bench_serving(project: Path, requests: int, clients: int) -> None:
    """Single-text /predict latency and throughput next to in-process predict_proba on the same texts."""
    texts = pd.read_parquet(project / "data/processed/test.parquet")["text"].tolist()
    texts = (texts * (requests // len(texts) + 1))[:requests]
    bento_tag = json.loads((project / "served/tfidf.json").read_text())["bento_tag"]
    model = TfidfPredictor(f"{os.environ['BENTOML_HOME']}/models/{bento_tag.replace(':', '/')}/mlflow_model")
    in_process = time_calls(lambda i: model.predict_proba([texts[i]]), requests)
    with serve("bentos.tfidf_service:TfidfClassifier", project) as (_, base_url, process):
        bodies = [{"texts": [text]} for text in texts]
        time_http(f"{base_url}/predict", bodies[:50], clients=1)  # warm-up
        sequential = time_http(f"{base_url}/predict", bodies, clients=1)
        concurrent = time_http(f"{base_url}/predict", bodies, clients=clients)
        workers = worker_processes(process.pid, "tfidf_classifier")
        rss_mb = [round(worker.memory_info().rss / 2**20) for worker in workers]
        torch_loaded = [imports_torch(worker) for worker in workers]
    print(f"in-process predict_proba, 1 text: {in_process}")
    print(f"HTTP /predict, 1 text, 1 client:  {sequential} (target p50 < {TARGETS['p50_ms']} ms)")
    print(f"HTTP /predict, 1 text, {clients} clients: {concurrent}")
    print(f"ratio HTTP p50 / in-process p50: {sequential.p50_ms / in_process.p50_ms:.2f}x")
    print(f"TF-IDF worker RSS: {rss_mb} MB (target < {TARGETS['rss_mb']} MB); torch loaded: {torch_loaded}")


if __name__ == "__main__":
    main()
