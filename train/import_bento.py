"""DVC stages `import_tfidf` / `import_transformer`: MLflow champion -> BentoML model store."""

import argparse
import json
from pathlib import Path

import bentoml
from bentoml.exceptions import NotFound
from mlflow import MlflowClient

from train.params import load_params
from train.tracking import configure_mlflow

KINDS = ("tfidf", "transformer")


def import_champion(kind: str, params: dict) -> dict[str, str]:
    """Copy the registered champion of `kind` into the BentoML store (once per MLflow version)."""
    registered_name = params["registry"][f"{kind}_model"]
    alias = params["registry"]["champion_alias"]
    client = MlflowClient()
    version = client.get_model_version_by_alias(registered_name, alias)
    run = client.get_run(version.run_id)
    tag = f"{params['bento'][f'{kind}_model']}:v{version.version}-{version.run_id[:8]}"
    labels = {"kind": kind, "mlflow_model": registered_name, "mlflow_version": str(version.version), "alias": alias}
    metadata = {
        "mlflow_run_id": version.run_id,
        "mlflow_model_uri": f"models:/{registered_name}/{version.version}",
        "metrics": {name: value for name, value in run.data.metrics.items() if name.startswith("test_")},
        "tags": {name: value for name, value in run.data.tags.items() if not name.startswith("mlflow.")},
    }
    try:
        bentoml.models.get(tag)
        print(f"import: {tag} is already in the BentoML store")
    except NotFound:
        bentoml.mlflow.import_model(
            tag, f"models:/{registered_name}/{version.version}", labels=labels, metadata=metadata
        )
        print(f"import: {registered_name}@{alias} (v{version.version}) -> BentoML {tag}")
    return {"bento_tag": tag, **labels, "mlflow_run_id": version.run_id}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--out", type=Path, help="JSON file recording what was imported")
    args = parser.parse_args()
    params = load_params()
    configure_mlflow(params["tracking"])
    record = import_champion(args.kind, params)
    out = args.out or Path(f"models/{args.kind}_bento.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
