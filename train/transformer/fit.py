"""Fine-tuning: AdamW + linear warmup, class weights, mixed precision, early stopping, resumable checkpoints."""

import hashlib
import json
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from train.evaluate import macro_f1_score
from train.transformer.data import EncodedSplit, class_weights, loader
from train.transformer.device import Compute

STATE_FILE, BEST_FILE = "state.pt", "best.pt"
NO_DECAY = ("bias", "LayerNorm.weight", "layer_norm.weight")


@dataclass
class History:
    """Per-epoch training curves and where the best validation macro-F1 was."""

    train_loss: list[float] = field(default_factory=list)
    val_macro_f1: list[float] = field(default_factory=list)
    samples_per_second: list[float] = field(default_factory=list)
    best_epoch: int = -1
    stale_epochs: int = 0

    @property
    def best_f1(self) -> float:
        return self.val_macro_f1[self.best_epoch] if self.best_epoch >= 0 else -1.0


def set_up_torch(seed: int, threads: int) -> None:
    """Same initial head, dropout and order on every run with the same seed; `threads` > 0 caps torch."""
    if threads > 0:
        torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)  # some libraries still draw from numpy's global generator
    torch.manual_seed(seed)


def fingerprint(params: dict, backbone: str, train: EncodedSplit) -> str:
    """Identifies a training job, so a checkpoint is only resumed by the same job."""
    payload = json.dumps({"params": params, "backbone": backbone, "n": len(train), "y": train.targets.tolist()})
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def build_optimizer(model: torch.nn.Module, params: dict, total_steps: int) -> tuple[torch.optim.Optimizer, object]:
    """AdamW without decay on biases and norms; linear schedule with warmup over all steps."""
    if params["freeze_embeddings"]:
        # The embedding matrix is most of a multilingual encoder's weights and barely moves in
        # fine-tuning; freezing it skips its gradient and optimizer state (1.6x faster here).
        model.get_input_embeddings().weight.requires_grad_(False)
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not n.endswith(NO_DECAY)], "weight_decay": params["weight_decay"]},
        {"params": [p for n, p in trainable if n.endswith(NO_DECAY)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=params["learning_rate"])
    warmup = int(params["warmup_ratio"] * total_steps)
    return optimizer, get_linear_schedule_with_warmup(optimizer, warmup, total_steps)


def loading(params: dict, compute: Compute) -> dict:
    """DataLoader settings: `dataloader_workers`, `length_bucket_batches`, pinned memory on CUDA."""
    return {
        "workers": params["dataloader_workers"],
        "bucket_batches": params["length_bucket_batches"],
        "pin_memory": compute.pin_memory,
    }


def to_device(inputs: dict[str, torch.Tensor], compute: Compute) -> dict[str, torch.Tensor]:
    """A batch on the training device (asynchronous from pinned memory)."""
    return {name: tensor.to(compute.device, non_blocking=True) for name, tensor in inputs.items()}


def predict_logits(
    model: torch.nn.Module, split: EncodedSplit, params: dict, pad_id: int, compute: Compute
) -> np.ndarray:
    """Logits for a split in its own row order, on the training device, batches sorted by length."""
    model.eval()
    logits = np.zeros((len(split), model.config.num_labels), dtype=np.float32)
    with torch.inference_mode(), compute.autocast():
        for inputs, _, rows in loader(split, params["eval_batch_size"], pad_id, loading(params, compute)):
            logits[rows.numpy()] = model(**to_device(inputs, compute)).logits.float().cpu().numpy()
    return logits


def macro_f1_of(logits: np.ndarray, targets: np.ndarray) -> float:
    """Validation macro-F1 of argmax predictions, scored as everywhere else (train.evaluate)."""
    return macro_f1_score(targets, logits.argmax(axis=1))


def train_step(model, optimizer, scaler, loss_fn, inputs, targets, compute: Compute) -> torch.Tensor:
    """One update: forward under autocast, (scaled) backward, clipped gradients, optimizer step."""
    with compute.autocast():
        logits = model(**to_device(inputs, compute)).logits
    loss = loss_fn(logits.float(), targets.to(compute.device, non_blocking=True))
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(optimizer)  # skipped when an fp16 gradient overflowed
    scaler.update()
    return loss.detach()


def train_epoch(
    model, optimizer, scheduler, scaler, loss_fn, train: EncodedSplit, params: dict, epoch: int, pad_id: int
):
    """One pass over the shuffled training split; returns (mean loss, samples per second)."""
    compute = params["compute"]
    model.train()
    total_loss, seen, started = 0.0, 0, time.perf_counter()
    batches = loader(train, params["batch_size"], pad_id, loading(params, compute), params["seed"] + epoch)
    progress = tqdm(batches, total=len(batches), leave=False)
    progress.set_description(f"epoch {epoch + 1}/{params['epochs']}")
    for inputs, targets, _ in progress:
        loss = train_step(model, optimizer, scaler, loss_fn, inputs, targets, compute)
        scheduler.step()
        total_loss += loss.item() * len(targets)
        seen += len(targets)
        rate = seen / (time.perf_counter() - started)
        progress.set_postfix(loss=f"{total_loss / seen:.4f}", samples_s=f"{rate:.1f}")
    return total_loss / seen, seen / (time.perf_counter() - started)


def save_checkpoint(directory: Path, job: str, epoch: int, model, optimizer, scheduler, history: History) -> None:
    """Everything needed to continue after `epoch`; written to a temporary file first, then renamed."""
    state = {
        "job": job,
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "history": history.__dict__,
    }
    torch.save(state, directory / f"{STATE_FILE}.tmp")
    (directory / f"{STATE_FILE}.tmp").replace(directory / STATE_FILE)


def resume(directory: Path, job: str, model, optimizer, scheduler) -> tuple[int, History]:
    """(next epoch, history) from a checkpoint of the same job, or (0, empty history)."""
    path = directory / STATE_FILE
    if not path.is_file():
        return 0, History()
    state = torch.load(path, weights_only=True, map_location="cpu")
    if state["job"] != job:
        print(f"transformer: ignoring checkpoint {path} of another job (params, data or backbone changed)")
        shutil.rmtree(directory)
        return 0, History()
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    print(f"transformer: resuming after epoch {state['epoch'] + 1} from {path}")
    return state["epoch"] + 1, History(**state["history"])


def fit(
    model, train: EncodedSplit, val: EncodedSplit, params: dict, job: str, pad_id: int, compute: Compute
) -> History:
    """Fine-tune on `compute`'s device and precision with early stopping on validation macro-F1.

    The model ends on that device with its best weights.
    """
    checkpoint_dir = Path(params["checkpoint_dir"])
    model.to(compute.device)
    steps_per_epoch = -(-len(train) // params["batch_size"])
    optimizer, scheduler = build_optimizer(model, params, steps_per_epoch * params["epochs"])
    weights = class_weights(train.targets, model.config.num_labels, params["class_weights"])
    loss_fn = torch.nn.CrossEntropyLoss(weight=None if weights is None else weights.to(compute.device))
    scaler = compute.scaler()
    params = {**params, "compute": compute}
    start, history = resume(checkpoint_dir, job, model, optimizer, scheduler)
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    for epoch in range(start, params["epochs"]):
        if history.stale_epochs >= params["early_stopping_patience"]:
            break
        loss, rate = train_epoch(model, optimizer, scheduler, scaler, loss_fn, train, params, epoch, pad_id)
        val_f1 = macro_f1_of(predict_logits(model, val, params, pad_id, compute), val.targets)
        history.train_loss.append(loss)
        history.val_macro_f1.append(val_f1)
        history.samples_per_second.append(rate)
        improved = val_f1 > history.best_f1
        history.best_epoch = epoch if improved else history.best_epoch
        history.stale_epochs = 0 if improved else history.stale_epochs + 1
        if improved:
            torch.save(model.state_dict(), checkpoint_dir / BEST_FILE)
        save_checkpoint(checkpoint_dir, job, epoch, model, optimizer, scheduler, history)
        print(f"transformer: epoch {epoch + 1}: loss {loss:.4f}, val macro-F1 {val_f1:.4f}, {rate:.1f} samples/s")
    model.load_state_dict(torch.load(checkpoint_dir / BEST_FILE, weights_only=True, map_location=compute.device))
    return history
