"""Learning curves: smoothing, the best epoch, the overfitting gap and the other numbers the
chapter's story quotes about a run (pure numpy).

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
    test_accuracy: float | None = None  # on the test split, where known (a model card, the book's notebook)

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


def lowest_loss_epoch(curves: Curves) -> int | None:
    """The epoch of the lowest validation loss (the first, if tied): where overfitting sets in;
    None without validation."""
    if not curves.history.get("val_loss"):
        return None
    return curves.epochs[int(np.argmin(curves.history["val_loss"]))]


@dataclass(frozen=True)
class Summary:
    """The numbers a lesson quotes about one run, read off its curves as the charts mark them."""

    epochs: int  # how many epochs it trained
    best_epoch: int  # the star: the highest validation accuracy ...
    best_accuracy: float  # ... and that accuracy
    lowest_loss_epoch: int | None
    final_accuracy: float  # training accuracy at the last epoch
    final_val_accuracy: float
    final_gap: float  # the bar at the last epoch: training - validation accuracy
    test_accuracy: float | None

    @property
    def gap_points(self) -> float:
        """The final gap in percentage points, as the charts label it."""
        return self.final_gap * 100


def summary(curves: Curves) -> Summary | None:
    """A run's Summary; None without validation (nothing to compare)."""
    if not curves.validated:
        return None
    validation = np.asarray(curves.history["val_accuracy"], float)
    return Summary(epochs=len(curves.epochs), best_epoch=best_epoch(curves), best_accuracy=float(validation.max()),
                   lowest_loss_epoch=lowest_loss_epoch(curves), final_accuracy=float(curves.history["accuracy"][-1]),
                   final_val_accuracy=float(validation[-1]), final_gap=float(overfitting_gap(curves)[-1]),
                   test_accuracy=curves.test_accuracy)


def spread(targets, spacing: float, low: float, high: float) -> np.ndarray:
    """Positions for labels that must not overlap: each as near its target as it can be, any two
    at least `spacing` apart, all within [low, high] where they fit. Overlapping labels form a
    cluster centred on its targets' mean; clusters that then overlap merge, until none do."""
    targets = np.asarray(targets, float)
    order = np.argsort(targets, kind="stable")
    clusters = [[i] for i in order]  # bottom to top

    def place(cluster):  # the first label's position: the cluster centred on its targets, kept in bounds
        size = spacing * (len(cluster) - 1)
        start = targets[cluster].mean() - size / 2
        return min(max(start, low), high - size) if size <= high - low else low

    merged = True
    while merged:
        merged = False
        for k in range(len(clusters) - 1):
            if place(clusters[k]) + spacing * len(clusters[k]) > place(clusters[k + 1]) + 1e-9:
                clusters[k:k + 2] = [clusters[k] + clusters[k + 1]]
                merged = True
                break
    positions = np.empty_like(targets)
    for cluster in clusters:
        positions[cluster] = place(cluster) + spacing * np.arange(len(cluster))
    return positions
