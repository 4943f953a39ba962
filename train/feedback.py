"""Feedback into training: corrections from the desk and promoted topics join the prepared splits.

- A feedback row whose text is already in the base data overrides that row's label in train/val
  (the base test split stays fixed: it is what every model version is compared on).
- Other feedback rows are split by a hash of their text into training rows and a held-out
  "recent feedback" slice. The hash makes the choice stable across retrains, so a row that was
  trained on is never scored as held-out later, and the fixed test split never holds feedback.
- Training rows carry `weight` (`feedback.weight`; base rows 1.0) for the models' sample weights.
"""

import hashlib

import pandas as pd

from core.columns import LABEL, TEXT
from core.params import resolve_path

WEIGHT, SOURCE = "weight", "source"
FEEDBACK_SLICE = "feedback_test"
HASH_BUCKETS = 10_000


def load_feedback(feedback_params: dict) -> pd.DataFrame:
    """Every labelled feedback row (text, label, source) from the files feedback.* names; empty if none."""
    frames = []
    for key in ("corrections_path", "promoted_path"):
        path = feedback_params.get(key)
        if path and resolve_path(path).is_file():
            frame = pd.read_parquet(resolve_path(path))
            frames.append(frame.assign(**{SOURCE: frame.get(SOURCE, key.removesuffix("_path"))})[[TEXT, LABEL, SOURCE]])
    if not frames:
        return pd.DataFrame(columns=[TEXT, LABEL, SOURCE])
    feedback = pd.concat(frames, ignore_index=True).astype({TEXT: str, LABEL: str})
    # The latest word on a text wins (files are appended in time order).
    return feedback.drop_duplicates(subset=[TEXT], keep="last").reset_index(drop=True)


def held_out(texts: pd.Series, share: float) -> pd.Series:
    """A stable pseudo-random choice of `share` of the texts, by a hash of each text."""

    def bucket(text: str) -> int:
        return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % HASH_BUCKETS

    return texts.map(bucket) < share * HASH_BUCKETS


def merge_feedback(
    splits: dict[str, pd.DataFrame], feedback: pd.DataFrame, feedback_params: dict
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Splits with feedback merged in (plus the `feedback_test` slice), and counts for the report."""
    merged = {name: frame.assign(**{WEIGHT: 1.0}) for name, frame in splits.items()}
    in_test = feedback[TEXT].isin(splits["test"][TEXT])
    relabel = dict(zip(feedback[TEXT], feedback[LABEL], strict=True))
    overridden = 0
    for name in ("train", "val"):
        frame = merged[name]
        hit = frame[TEXT].isin(relabel) & (frame[TEXT].map(relabel) != frame[LABEL])
        overridden += int(hit.sum())
        merged[name] = frame.assign(**{LABEL: frame[TEXT].map(relabel).fillna(frame[LABEL])})
    in_base = feedback[TEXT].isin(pd.concat([splits[name][TEXT] for name in splits]))
    new = feedback[~in_base]
    slice_mask = held_out(new[TEXT], feedback_params["test_share"])
    training = new[~slice_mask].assign(**{WEIGHT: float(feedback_params["weight"])})
    merged["train"] = pd.concat([merged["train"], training[merged["train"].columns.intersection(training.columns)]])
    merged["train"] = merged["train"].reset_index(drop=True)
    merged[FEEDBACK_SLICE] = new[slice_mask][[TEXT, LABEL]].reset_index(drop=True)
    report = {
        "feedback_rows": len(feedback),
        "feedback_relabelled": overridden,
        "feedback_ignored_in_test": int(in_test.sum()),
        "feedback_trained": len(training),
        "feedback_held_out": int(slice_mask.sum()),
    }
    return merged, report


def repeat_by_weight(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row round(weight) times (at least once): a sample weight for trainers that take none."""
    if WEIGHT not in frame:
        return frame
    repeats = frame[WEIGHT].round().clip(lower=1).astype(int)
    return frame.loc[frame.index.repeat(repeats)].reset_index(drop=True)
