"""DVC stages `import_tfidf` / `import_transformer` / `import_priority`: MLflow champion -> BentoML store -> record.

The record (`registry.served_records`) names the exact store tag of the champion and the sha256 of
each of its files as the gate recorded them; the model services load that tag and check those
digests, nothing else. The stage runs on every `dvc repro` (the champion alias can move without any
file changing, e.g. a rollback); copying into the store happens once per MLflow version, and the
store's copy is checked against the gate's digests every time: a changed byte is refused.
"""

import argparse
import json
from pathlib import Path

import bentoml
from bentoml.exceptions import NotFound
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from core.errors import ConfigError, IntegrityError, one_line_errors
from core.integrity import DIGEST_TAG, STORE_FOLDER, decode_digests, verify_artifacts
from core.params import load_params, resolve_path
from train.tracking import configure_mlflow

KINDS = ("tfidf", "transformer", "priority")
PRIORITY_METRICS = Path("metrics/priority.json")


def champion_version(client: MlflowClient, registered_name: str, alias: str):
    """The model version holding `alias`; a clear error when there is none yet."""
    try:
        return client.get_model_version_by_alias(registered_name, alias)
    except MlflowException as error:
        raise ConfigError(f"{registered_name}@{alias} does not exist in the MLflow registry: train first") from error


def import_champion(kind: str, params: dict) -> dict[str, str]:
    """Copy the registered champion of `kind` into the BentoML store (once per MLflow version)."""
    registered_name = params["registry"][f"{kind}_model"]
    alias = params["registry"]["champion_alias"]
    client = MlflowClient()
    version = champion_version(client, registered_name, alias)
    what = f"{registered_name} v{version.version}"
    digests = decode_digests(version.tags.get(DIGEST_TAG), what)
    run = client.get_run(version.run_id)
    tag = f"{registered_name}:v{version.version}-{version.run_id[:8]}"
    labels = {"kind": kind, "mlflow_model": registered_name, "mlflow_version": str(version.version), "alias": alias}
    metadata = {
        "mlflow_run_id": version.run_id,
        "mlflow_model_uri": f"models:/{registered_name}/{version.version}",
        "metrics": {name: value for name, value in run.data.metrics.items() if name.startswith("test_")},
        "tags": {name: value for name, value in run.data.tags.items() if not name.startswith("mlflow.")},
    }
    try:
        stored = bentoml.models.get(tag)
        print(f"import: {tag} is already in the BentoML store")
    except NotFound:
        stored = bentoml.mlflow.import_model(
            tag, f"models:/{registered_name}/{version.version}", labels=labels, metadata=metadata
        )
        print(f"import: {registered_name}@{alias} (v{version.version}) -> BentoML {tag}")
    check_stored(stored, digests, what)
    record = {"bento_tag": tag, **labels, "mlflow_run_id": version.run_id, "sha256": digests}
    return record | (priority_rule(run.data.tags) if kind == "priority" else {})


def check_stored(stored: bentoml.Model, digests: dict[str, str], what: str) -> None:
    """The store's copy must be the files the gate recorded; a copy that is not is deleted from the store."""
    try:
        verify_artifacts(stored.path_of(STORE_FOLDER), digests, f"{what} (BentoML {stored.tag})")
    except IntegrityError:
        bentoml.models.delete(stored.tag)
        print(f"import: deleted {stored.tag} from the BentoML store; a clean copy is imported on the next run")
        raise


def priority_rule(tags: dict[str, str]) -> dict:
    """The decision rule the priority stage tuned with this model (tags of the run that registered it)."""
    rule = {
        "urgent": tags["priority_urgent"],
        "threshold": float(tags["priority_threshold"]),
        "min_recall": float(tags["priority_min_recall"]),
    }
    return {"served": True, "candidate": tags["priority_candidate"], "rule": rule}


def priority_not_trained() -> dict | None:
    """`served: false` with the stage's reason when the priority stage trained nothing on this data."""
    report = json.loads(PRIORITY_METRICS.read_text()) if PRIORITY_METRICS.is_file() else {"trained": False}
    if report.get("trained"):
        return None
    return {"served": False, "reason": report.get("reason", f"{PRIORITY_METRICS} missing: run train_priority")}


@one_line_errors
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=KINDS)
    args = parser.parse_args()
    params = load_params()
    configure_mlflow(params["tracking"])
    not_trained = priority_not_trained() if args.kind == "priority" else None
    record = not_trained or import_champion(args.kind, params)
    out = resolve_path(params["registry"]["served_records"][args.kind])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"import: {args.kind} serves {record.get('bento_tag', 'nothing: ' + record.get('reason', ''))} ({out})")


if __name__ == "__main__":
    main()
