"""Splits -> tokenised, length-bucketed, dynamically padded batches for fine-tuning, plus class weights."""

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset

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


def length_buckets(lengths: np.ndarray, batch_size: int, shuffle_seed: int | None, bucket_batches: int) -> list:
    """Batches of row indices whose texts have similar lengths, so little of each batch is padding.

    In order (`shuffle_seed` None, for prediction): rows sorted by length. For training: rows
    shuffled, sorted by length within windows of `bucket_batches` batches, and the batches shuffled,
    so each epoch still sees a different mix.
    """
    if shuffle_seed is None:
        order = np.argsort(lengths, kind="stable")
        return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
    random = np.random.default_rng(shuffle_seed)
    order = random.permutation(len(lengths))
    window = batch_size * max(bucket_batches, 1)
    chunks = [order[start : start + window] for start in range(0, len(order), window)]
    ordered = np.concatenate([chunk[np.argsort(lengths[chunk], kind="stable")] for chunk in chunks])
    batches = [ordered[start : start + batch_size] for start in range(0, len(ordered), batch_size)]
    return [batches[i] for i in random.permutation(len(batches))]


class TokenRows(Dataset):
    """Row i of a split: (token ids, target(s), i); the index lets predictions go back in order.

    A target is an integer, or one integer per head for a multi-head split (train.priority.encoder).
    """

    def __init__(self, split: EncodedSplit) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> tuple[list[int], np.ndarray, int]:
        return self.split.input_ids[index], self.split.targets[index], index


def collate(
    rows: list[tuple[list[int], np.ndarray, int]], pad_id: int
) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """(padded inputs, targets, row indices) of one batch."""
    sequences, targets, indices = zip(*rows, strict=True)
    return pad_batch(list(sequences), pad_id), torch.from_numpy(np.stack(targets)), torch.tensor(indices)


def loader(
    split: EncodedSplit, batch_size: int, pad_id: int, loading: dict, shuffle_seed: int | None = None
) -> DataLoader:
    """Length-bucketed, dynamically padded batches; `loading`: workers, pin_memory, bucket_batches.

    Workers tokenise-and-pad the next batches while the model runs; pinned memory lets a CUDA copy
    overlap with compute. Yields (inputs, targets, row indices).
    """
    lengths = np.array([len(ids) for ids in split.input_ids])
    return DataLoader(
        TokenRows(split),
        batch_sampler=length_buckets(lengths, batch_size, shuffle_seed, loading["bucket_batches"]),
        collate_fn=partial(collate, pad_id=pad_id),
        num_workers=loading["workers"],
        pin_memory=loading["pin_memory"],
        persistent_workers=False,
    )


def class_weights(targets: np.ndarray, n_classes: int, mode: str) -> torch.Tensor | None:
    """'balanced' weights n / (k * count) as in sklearn, so rare classes count as much; None for 'none'."""
    if mode == "none":
        return None
    if mode != "balanced":
        raise ConfigError(f"transformer.class_weights: expected 'balanced' or 'none', got {mode!r}")
    counts = np.bincount(targets, minlength=n_classes).astype(np.float64)
    weights = len(targets) / (n_classes * np.maximum(counts, 1.0))
    return torch.tensor(weights, dtype=torch.float32)
