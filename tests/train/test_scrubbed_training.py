"""Personal data planted in the training data reaches no artifact: not the splits, MLflow, the store or the Bento.

The whole `dvc repro` (TF-IDF and the tiny transformer) runs on the starter data with planted
tickets, in a copy with its own stores; then `bentoml build` + `bentoml export`. Every file they
wrote is searched for distinctive pieces of the planted values (parquet splits are decoded first).
"""

import os
import shutil
import tarfile
from pathlib import Path

import pandas as pd
import pytest

from devkit.project import REPO, copy_project, run, set_params
from tests.transformer.tiny_backbone import TINY_TRAINING

pytestmark = pytest.mark.slow

# One sentence per language; each is planted into two tickets of every class, so a leaked value
# would also pass TF-IDF's min_df and land in the vocabulary.
PLANTED = {
    "en": "Hi, this is Sarah Quillebrand (sarah.quillebrand@example.org, +44 20 7946 0321), "
    "passport X7261935, key AKIAZQXW7LMN3PRT5VY2.",
    "fr": "Je suis Amélie Vautrinot, NIR 2 69 02 75 120 005 39, née le 14/07/1983, 12 rue des Zinnias, 75011 Paris.",
    "de": "Ich bin Jürgen Quastenberg, Steuer-ID 86309517621, Passwort: Wq7!zorblat",
    "ar": "اسمي زنقور الشمردلي، رقم الهوية 1048273955، جواز السفر K4820917",
}
# Pieces of the values above that appear nowhere else in the project (the name lexicon included) or its data.
PIECES = (
    "quillebrand", "7946 0321", "x7261935", "akiazqxw7lmn3prt5vy2", "vautrinot", "120 005 39", "14/07/1983",
    "zinnias", "quastenberg", "86309517621", "zorblat", "الشمردلي", "1048273955", "k4820917",
)  # fmt: skip


def planted_data(destination: Path) -> Path:
    """The starter tickets, two per class carrying each language's planted sentence."""
    tickets = pd.read_csv(REPO / "data" / "starter" / "tickets.csv")
    rows = []
    for language, sentence in PLANTED.items():
        for _, group in tickets.groupby("label"):
            for text in group["text"].iloc[:2]:
                rows.append({"text": f"{text} {sentence}", "label": group["label"].iloc[0], "language": language})
    path = destination / "planted.csv"
    pd.concat([tickets, pd.DataFrame(rows)]).to_csv(path, index=False)
    return path


def readable_text(path: Path) -> str:
    """A file's content as text: parquet decoded, anything else as bytes read leniently."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv()
    return path.read_bytes().decode("utf-8", errors="ignore")


def leaks_under(root: Path, skip: Path) -> dict[str, list[str]]:
    """file -> planted pieces found in it."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and path != skip:
            text = readable_text(path).casefold()
            hits = [piece for piece in PIECES if piece in text]
            if hits:
                found[str(path.relative_to(root))] = hits
    return found


@pytest.fixture(scope="module")
def trained_on_planted_data(tmp_path_factory: pytest.TempPathFactory, tiny_backbone: Path) -> dict[str, Path]:
    """`dvc repro` on the planted data with private stores, then the Bento built and exported."""
    root = tmp_path_factory.mktemp("planted")
    project = copy_project(root / "project")
    data = planted_data(project / "data")
    set_params(
        project, {"data.path": "data/planted.csv", **TINY_TRAINING, "transformer.fallback_backbone": str(tiny_backbone)}
    )
    env = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}",
        "BENTOML_HOME": str(root / "bentoml"),
        "HF_HUB_OFFLINE": "1",
    }
    report = run(["dvc", "repro"], project, env=env).stdout
    shutil.copy2(REPO / "requirements.lock", project / "requirements.lock")
    tag = run(["bentoml", "build", "-o", "tag"], project, env=env).stdout.strip().rsplit("__tag__:", 1)[-1]
    run(["bentoml", "export", tag, str(root / "callcenterai.bento")], project, env=env)
    with tarfile.open(root / "callcenterai.bento") as bento:
        bento.extractall(root / "bento", filter="data")
    os.remove(root / "callcenterai.bento")
    return {"root": root, "data": data, "report": report}


def test_planted_values_are_in_the_input_and_the_pieces_would_be_found(trained_on_planted_data: dict) -> None:
    raw = trained_on_planted_data["data"].read_text(encoding="utf-8").casefold()
    assert all(piece in raw for piece in PIECES)


def test_no_artifact_of_training_or_the_bento_holds_a_planted_value(trained_on_planted_data: dict) -> None:
    root = trained_on_planted_data["root"]
    assert (root / "bento" / "bento.yaml").is_file() and (root / "project" / "mlruns").is_dir()
    assert leaks_under(root, skip=trained_on_planted_data["data"]) == {}


def test_prepare_reports_what_it_replaced(trained_on_planted_data: dict) -> None:
    processed = trained_on_planted_data["root"] / "project" / "data" / "processed"
    texts = pd.concat(pd.read_parquet(processed / f"{name}.parquet") for name in ("train", "val", "test"))["text"]
    for placeholder in ("<PERSON>", "<EMAIL_ADDRESS>", "<NATIONAL_ID>", "<PASSPORT>", "<SECRET>", "<ADDRESS>"):
        assert texts.str.contains(placeholder, regex=False).any(), placeholder
