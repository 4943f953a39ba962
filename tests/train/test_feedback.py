"""Feedback into training: relabel what is known, add the rest, hold a stable slice out, never touch test."""

import pandas as pd
import pytest

from train.feedback import FEEDBACK_SLICE, WEIGHT, held_out, merge_feedback, repeat_by_weight

PARAMS = {"weight": 3.0, "test_share": 0.25}


def splits() -> dict[str, pd.DataFrame]:
    def frame(prefix: str, n: int) -> pd.DataFrame:
        return pd.DataFrame({"text": [f"{prefix} ticket {i}" for i in range(n)], "label": ["Hardware"] * n})

    return {"train": frame("train", 8), "val": frame("val", 2), "test": frame("test", 2)}


def feedback(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["text", "label"]).assign(source="corrections")


def test_a_correction_of_a_known_ticket_relabels_it_in_train_and_val_only() -> None:
    base = splits()
    rows = [("train ticket 1", "Access"), ("val ticket 0", "Storage"), ("test ticket 0", "Access")]
    merged, report = merge_feedback(base, feedback(rows), PARAMS)
    train = merged["train"].set_index("text")["label"]
    assert train["train ticket 1"] == "Access" and train["train ticket 0"] == "Hardware"
    assert merged["val"].set_index("text")["label"]["val ticket 0"] == "Storage"
    pd.testing.assert_frame_equal(merged["test"].drop(columns=WEIGHT), base["test"])  # the fixed test split
    assert report["feedback_relabelled"] == 2 and report["feedback_ignored_in_test"] == 1
    assert len(merged["train"]) == len(base["train"])  # relabelled, not added twice


def test_new_feedback_is_split_between_training_and_a_held_out_slice_by_a_stable_hash() -> None:
    rows = [(f"new ticket about the printer {i}", "Hardware") for i in range(400)]
    merged, report = merge_feedback(splits(), feedback(rows), PARAMS)
    held = merged[FEEDBACK_SLICE]
    trained = merged["train"][merged["train"]["text"].str.startswith("new ticket")]
    assert report["feedback_trained"] + report["feedback_held_out"] == 400
    assert 0.15 < len(held) / 400 < 0.35  # about test_share
    assert not set(held["text"]) & set(trained["text"])
    assert (trained[WEIGHT] == PARAMS["weight"]).all()
    assert (merged["train"][~merged["train"]["text"].str.startswith("new ticket")][WEIGHT] == 1.0).all()
    # More feedback later never moves a row that was trained on into the held-out slice.
    more = rows + [(f"another new ticket {i}", "Access") for i in range(200)]
    later, _ = merge_feedback(splits(), feedback(more), PARAMS)
    assert set(held["text"]) <= set(later[FEEDBACK_SLICE]["text"])
    assert not set(trained["text"]) & set(later[FEEDBACK_SLICE]["text"])


def test_held_out_choice_depends_on_the_text_only() -> None:
    texts = pd.Series([f"text {i}" for i in range(1000)])
    first, again = held_out(texts, 0.2), held_out(texts.iloc[::-1], 0.2).iloc[::-1]
    assert first.tolist() == again.tolist()
    assert first.mean() == pytest.approx(0.2, abs=0.05)


def test_rows_repeat_by_their_weight_for_trainers_without_sample_weights() -> None:
    frame = pd.DataFrame({"text": ["a", "b", "c"], "label": ["x", "y", "z"], WEIGHT: [1.0, 2.0, 0.4]})
    assert repeat_by_weight(frame)["text"].tolist() == ["a", "b", "b", "c"]
