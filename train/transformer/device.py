"""Where fine-tuning runs and in which precision, and the named recipes (`transformer.presets`).

`device: auto` takes CUDA, then Apple MPS, then the CPU. `precision: auto` is bf16 on a GPU that
supports it, fp16 (with a GradScaler, so small gradients do not underflow) on one that does not,
and fp32 on the CPU; asking for bf16 on a GPU without it gives fp16. Mixed precision runs through
`torch.autocast`, on the CPU too when asked for (which is how the tests exercise it).
"""

import contextlib
from dataclasses import dataclass
from typing import Any

import torch

from core.errors import ConfigError

DEVICES = ("auto", "cuda", "mps", "cpu")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def recipe(transformer_params: dict[str, Any]) -> dict[str, Any]:
    """The transformer params with the chosen preset's values laid over them (`presets` dropped).

    `dvc exp run -S transformer.preset=gpu` switches the whole recipe with one setting.
    """
    name = transformer_params["preset"]
    presets = transformer_params["presets"]
    if name not in presets:
        raise ConfigError(f"transformer.preset: {name!r} is not one of {sorted(presets)}")
    base = {key: value for key, value in transformer_params.items() if key != "presets"}
    return {**base, **(presets[name] or {})}


def pick_device(setting: str) -> torch.device:
    """The device named by `transformer.device`; `auto` is CUDA, then MPS, then CPU."""
    if setting not in DEVICES:
        raise ConfigError(f"transformer.device: {setting!r} is not one of {DEVICES}")
    available = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    if setting == "auto":
        return torch.device(next(kind for kind in ("cuda", "mps", "cpu") if available[kind]))
    if not available[setting]:
        raise ConfigError(f"transformer.device: {setting} is not available on this machine (use auto or cpu)")
    return torch.device(setting)


def pick_precision(setting: str, device: torch.device) -> str:
    """fp32 | bf16 | fp16 for `transformer.precision` on `device`."""
    if setting not in PRECISIONS:
        raise ConfigError(f"transformer.precision: {setting!r} is not one of {PRECISIONS}")
    bf16_ok = device.type != "cuda" or torch.cuda.is_bf16_supported()
    if setting == "auto":
        return {"cuda": "bf16" if bf16_ok else "fp16", "mps": "fp16"}.get(device.type, "fp32")
    return "fp16" if setting == "bf16" and not bf16_ok else setting


@dataclass(frozen=True)
class Compute:
    """The device and precision a run uses: autocast context, gradient scaler, what to log."""

    device: torch.device
    precision: str

    @classmethod
    def from_params(cls, transformer_params: dict[str, Any]) -> "Compute":
        device = pick_device(transformer_params["device"])
        return cls(device, pick_precision(transformer_params["precision"], device))

    def autocast(self) -> contextlib.AbstractContextManager:
        """Mixed precision for the forward pass (a no-op context in fp32)."""
        if self.precision == "fp32":
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=DTYPES[self.precision])

    def scaler(self) -> torch.amp.GradScaler:
        """Loss scaling for fp16 only (bf16 has fp32's range); disabled, it passes values through."""
        return torch.amp.GradScaler(self.device.type, enabled=self.precision == "fp16")

    @property
    def pin_memory(self) -> bool:
        """Page-locked host batches copy to a CUDA device asynchronously."""
        return self.device.type == "cuda"

    def describe(self) -> dict[str, str]:
        """Device, its name and the precision, for MLflow (params and tags)."""
        name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else self.device.type
        return {"device": self.device.type, "device_name": name, "precision": self.precision}
