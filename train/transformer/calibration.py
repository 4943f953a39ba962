"""Temperature scaling (Guo et al. 2017): one scalar T fitted on validation logits, argmax unchanged."""

import numpy as np
import torch


def negative_log_likelihood(logits: np.ndarray, targets: np.ndarray, temperature: float = 1.0) -> float:
    """Mean cross-entropy of softmax(logits / T) against integer targets."""
    scaled = torch.as_tensor(logits, dtype=torch.float64) / temperature
    return float(torch.nn.functional.cross_entropy(scaled, torch.tensor(np.asarray(targets), dtype=torch.long)))


def fit_temperature(logits: np.ndarray, targets: np.ndarray, max_iter: int = 100) -> float:
    """The T > 0 minimising validation NLL (optimised as log T, so T stays positive)."""
    logits_t = torch.as_tensor(logits, dtype=torch.float64)
    targets_t = torch.tensor(np.asarray(targets), dtype=torch.long)
    log_temperature = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_temperature], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits_t / log_temperature.exp(), targets_t)
        loss.backward()
        return loss

    optimizer.step(closure)
    temperature = float(log_temperature.detach().exp())
    # Never make validation NLL worse than leaving the model alone (e.g. a degenerate optimisation).
    if negative_log_likelihood(logits, targets, temperature) > negative_log_likelihood(logits, targets):
        return 1.0
    return temperature
