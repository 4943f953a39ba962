"""Splits -> tokenised, dynamically padded batches for fine-tuning, plus class weights."""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from core.columns import LABEL, TEXT
from core.errors import ConfigError, DatasetError


@dataclass
class EncodedSplit:
    """Token ids per text (unpadded, truncated) and integer targets in `labels` order."""

    input_ids: list[list[int]]
    targets: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)


def limit_rows(frame: pd.DataFrame, max_rows: int | None, seed: int) -> pd.DataFrame:
    """At most `max_rows` rows, a seeded random subset that keeps the class mix roughly."""
    if not max_rows or len(frame) <= max_rows:
        return frame
    return frame.sample(n=max_rows, random_state=seed).reset_index(drop=True)


def encode(frame: pd.DataFrame, tokenizer, labels: list[str], max_length: int) -> EncodedSplit:
    """Tokenise with truncation and no padding: each batch is padded to its own longest text."""
    texts = frame[TEXT].astype(str).tolist()
    encoded = tokenizer(texts, truncation=True, max_length=max_length, padding=False)
    index = {label: position for position, label in enumerate(labels)}
    unknown = sorted(set(frame[LABEL]) - set(index))
    if unknown:
        raise DatasetError(f"transformer: labels {unknown} are not in the training split's classes {labels}")
    targets = frame[LABEL].map(index).to_numpy(dtype=np.int64)
    return EncodedSplit(encoded["input_ids"], targets)


def pad_batch(sequences: list[list[int]], pad_id: int) -> dict[str, torch.Tensor]:
    """input_ids and attention_mask padded to the longest sequence of this batch (dynamic padding)."""
    width = max(len(sequence) for sequence in sequences)
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        input_ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
        attention_mask[row, : len(sequence)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


def batches(
    split: EncodedSplit, batch_size: int, pad_id: int, shuffle_seed: int | None = None
) -> Iterator[tuple[dict[str, torch.Tensor], torch.Tensor]]:
    """(inputs, targets) batches; shuffled with `shuffle_seed`, in order when it is None."""
    order = np.arange(len(split))
    if shuffle_seed is not None:
        order = np.random.default_rng(shuffle_seed).permutation(order)
    for start in range(0, len(order), batch_size):
        chosen = order[start : start + batch_size]
        inputs = pad_batch([split.input_ids[i] for i in chosen], pad_id)
        yield inputs, torch.from_numpy(split.targets[chosen])


def class_weights(targets: np.ndarray, n_classes: int, mode: str) -> torch.Tensor | None:
    """'balanced' weights n / (k * count) as in sklearn, so rare classes count as much; None for 'none'."""
    if mode == "none":
        return None
    if mode != "balanced":
        raise ConfigError(f"transformer.class_weights: expected 'balanced' or 'none', got {mode!r}")
    counts = np.bincount(targets, minlength=n_classes).astype(np.float64)
    weights = len(targets) / (n_classes * np.maximum(counts, 1.0))
    return torch.tensor(weights, dtype=torch.float32)
