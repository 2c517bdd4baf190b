"""Learning curves: smoothing, the best epoch and the overfitting gap (pure numpy).

A curve set is a history dict ({"accuracy": [...], "val_accuracy": [...], "loss": [...],
"val_loss": [...]}) plus the epoch numbers it covers; the book's reference runs carry theirs
in `history["epoch"]`, our runs count 1..n.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SMOOTHING = ("none", "book", "tensorboard")
BOOK_FACTOR = 0.8  # Listing 5.24


def book_ema(values, factor: float = BOOK_FACTOR) -> np.ndarray:
    """Listing 5.24's `smooth_curve`: smoothed = previous * factor + point * (1 - factor);
    the first point is kept as is (so early points lean towards it)."""
    values = np.asarray(values, dtype=np.float64)
    smoothed = np.empty_like(values)
    for i, point in enumerate(values):
        smoothed[i] = point if i == 0 else smoothed[i - 1] * factor + point * (1 - factor)
    return smoothed


def debiased_ema(values, weight: float = BOOK_FACTOR) -> np.ndarray:
    """TensorBoard's smoothing: an EMA started at 0 and divided by (1 - weight**n), so the
    first points are not dragged towards the first value."""
    values = np.asarray(values, dtype=np.float64)
    smoothed = np.empty_like(values)
    last = 0.0
    for n, point in enumerate(values, 1):
        last = last * weight + (1 - weight) * point
        smoothed[n - 1] = last / (1 - weight ** n)
    return smoothed


def smooth(values, method: str = "none", factor: float = BOOK_FACTOR) -> np.ndarray:
    """One of SMOOTHING applied to a curve; factor in [0, 1) (0: no smoothing)."""
    if not 0 <= factor < 1:
        raise ValueError(f"the smoothing factor must be in [0, 1), not {factor}")
    if method == "book":
        return book_ema(values, factor)
    if method == "tensorboard":
        return debiased_ema(values, factor)
    if method == "none":
        return np.asarray(values, dtype=np.float64)
    raise ValueError(f"unknown smoothing {method!r}; choose one of {SMOOTHING}")


@dataclass
class Curves:
    """One run's curves as the charts draw them."""

    label: str
    recipe: str
    kind: str  # "shipped", "run" or "book"
    history: dict
    epochs: list[int] = field(default_factory=list)
    source: str | None = None  # attribution (the book's runs)

    def __post_init__(self):
        if not self.epochs:
            self.epochs = list(self.history.get("epoch") or range(1, len(self.history.get("accuracy", [])) + 1))

    @property
    def validated(self) -> bool:
        return bool(self.history.get("val_accuracy"))


def best_epoch(curves: Curves) -> int | None:
    """The epoch of the highest validation accuracy (the first, if tied); None without validation."""
    if not curves.validated:
        return None
    return curves.epochs[int(np.argmax(curves.history["val_accuracy"]))]


def overfitting_gap(curves: Curves) -> np.ndarray | None:
    """Training accuracy minus validation accuracy, per epoch; None without validation."""
    if not curves.validated:
        return None
    return np.asarray(curves.history["accuracy"], float) - np.asarray(curves.history["val_accuracy"], float)
