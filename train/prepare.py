"""DVC stage `prepare`: normalise, drop empties, scrub PII, drop duplicates, split train/val/test.

Every ticket goes through the agent's own language detection and PII scrubber before anything
is split or saved, so models, MLflow input examples and the Bento only ever hold scrubbed text.
"""

import argparse
import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from core.columns import LABEL, LANGUAGE, TEXT
from core.errors import DatasetError, one_line_errors
from core.params import load_params, resolve_path
from router.pipeline import TicketPreparer
from train.data import load_tickets
from train.feedback import FEEDBACK_SLICE, load_feedback, merge_feedback

PROCESSED_DIR = Path("data/processed")
SPLITS = ("train", "val", "test")


def normalise(text: str) -> str:
    """Unicode NFKC and single spaces, so the same ticket typed twice is one duplicate."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class TrainingScrubber:
    """What the agent does to a ticket before a model sees it (router.pipeline): detect the language, then scrub."""

    def __init__(self, params: dict) -> None:
        self.preparer = TicketPreparer(params)

    def __call__(self, texts: list[str]) -> tuple[list[str], dict[str, int]]:
        """Scrubbed texts, and how many entities of each type were replaced in all of them."""
        tickets = self.preparer.prepare_batch(texts)
        counts: Counter[str] = Counter()
        for ticket in tickets:
            counts.update(ticket.pii)
        return [ticket.text for ticket in tickets], dict(sorted(counts.items()))


Scrub = Callable[[list[str]], tuple[list[str], dict[str, int]]]


def clean(
    tickets: pd.DataFrame, min_chars: int, languages: list[str], scrub: Scrub | None = None
) -> tuple[pd.DataFrame, dict]:
    """Normalise texts; drop too-short texts and other languages; scrub; drop exact duplicates; report counts.

    Duplicates are dropped after the scrub: two tickets that differ only by a name are one ticket
    to the models, and must not land on both sides of a split.
    """
    report: dict = {"rows_read": len(tickets)}
    tickets = tickets.assign(**{TEXT: tickets[TEXT].map(normalise)})
    too_short = tickets[TEXT].str.len() < min_chars
    report["dropped_empty"] = int(too_short.sum())
    tickets = tickets[~too_short]
    if languages and LANGUAGE in tickets:
        other = ~tickets[LANGUAGE].isin(languages)
        report["dropped_other_language"] = int(other.sum())
        tickets = tickets[~other]
    if scrub is not None:
        texts, report["pii_replaced"] = scrub(tickets[TEXT].tolist())
        tickets = tickets.assign(**{TEXT: texts})
    duplicated = tickets.duplicated(subset=[TEXT])
    report["dropped_duplicates"] = int(duplicated.sum())
    tickets = tickets[~duplicated].reset_index(drop=True)
    report["rows_kept"] = len(tickets)
    return tickets, report


def scrubbed(feedback: pd.DataFrame, scrub: Scrub) -> tuple[pd.DataFrame, dict[str, int]]:
    """Feedback rows as the base rows are: normalised and scrubbed (the desk's text already is; promoted
    topics come from raw files), so a correction matches its base row's text."""
    if feedback.empty:
        return feedback, {}
    texts, counts = scrub(feedback[TEXT].map(normalise).tolist())
    return feedback.assign(**{TEXT: texts}), counts


def split(tickets: pd.DataFrame, val_size: float, test_size: float, seed: int) -> dict[str, pd.DataFrame]:
    """Stratified, seeded train/val/test split."""
    counts = tickets[LABEL].value_counts()
    too_rare = counts[counts < 3]
    if not too_rare.empty:
        raise DatasetError(f"column {LABEL!r}: classes with fewer than 3 tickets cannot be split: {dict(too_rare)}")
    rest, test = train_test_split(tickets, test_size=test_size, stratify=tickets[LABEL], random_state=seed)
    train, val = train_test_split(rest, test_size=val_size / (1 - test_size), stratify=rest[LABEL], random_state=seed)
    return {"train": train, "val": val, "test": test}


def load_splits(directory: Path = PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """The three splits and the recent-feedback slice (empty without feedback); a clear error before `prepare`."""
    missing = [name for name in SPLITS if not (directory / f"{name}.parquet").is_file()]
    if missing:
        raise DatasetError(f"{directory}: missing splits {missing}; run `dvc repro prepare` first")
    splits = {name: pd.read_parquet(directory / f"{name}.parquet") for name in SPLITS}
    feedback = directory / f"{FEEDBACK_SLICE}.parquet"
    splits[FEEDBACK_SLICE] = pd.read_parquet(feedback) if feedback.is_file() else pd.DataFrame(columns=[TEXT, LABEL])
    return splits


@one_line_errors
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PROCESSED_DIR)
    args = parser.parse_args()
    params = load_params()
    data_params, split_params = params["data"], params["split"]
    tickets = load_tickets(resolve_path(data_params["path"]), data_params["layouts"])
    scrub = TrainingScrubber(params)
    tickets, report = clean(tickets, data_params["min_chars"], data_params["languages"], scrub)
    parts = split(tickets, split_params["val_size"], split_params["test_size"], split_params["seed"])
    feedback, report["feedback_pii_replaced"] = scrubbed(load_feedback(params["feedback"]), scrub)
    parts, feedback_report = merge_feedback(parts, feedback, params["feedback"])
    report |= feedback_report
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in parts.items():
        frame.to_parquet(args.out / f"{name}.parquet", index=False)
        report[f"{name}_rows"] = len(frame)
    report["classes"] = int(parts["train"][LABEL].nunique())
    (args.out / "prepare_report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
