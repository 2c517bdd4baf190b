"""Batch mode: a model judges a whole split of a data folder, one subfolder per label.

The confusion matrix and the misclassified images (with the probabilities the model gave
them) show *how* a model fails, which one test-accuracy number hides. Serving path only:
numpy, Pillow and onnxruntime through `core.serving.inference`, the same preprocessing as a single
prediction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.data.folders import split_files
from core.data.images import BadImage, open_image, prepare_image

BATCH = 32


@dataclass
class Mistake:
    path: Path
    label: int  # the truth (an index into the model's labels)
    probabilities: np.ndarray  # what the model gave each class


@dataclass
class Evaluation:
    confusion: np.ndarray  # rows: truth, columns: prediction
    mistakes: list[Mistake]  # the most confident mistakes first
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # unreadable files and why
    paths: list[Path] = field(default_factory=list)  # every judged image, in order
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # their truth
    probabilities: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # what the model gave each

    def cell(self, truth: int, answer: int) -> list[Path]:
        """The images of one confusion-matrix cell: truth `truth`, answered `answer`."""
        answers = self.probabilities.argmax(-1) if len(self.paths) else np.zeros(0, int)
        return [p for p, y, a in zip(self.paths, self.labels, answers) if y == truth and a == answer]

    @property
    def total(self) -> int:
        return int(self.confusion.sum())

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / self.total) if self.total else float("nan")


def evaluate(predictor, root: Path, split: str = "test", on_progress=None) -> Evaluation:
    """Predict every image of `root/split/<label>/` with a Predictor (its labels name the
    folders), in batches; `on_progress(done, total)` is called after each batch."""
    paths, labels = split_files(Path(root), split, predictor.labels)
    return evaluate_files(predictor, paths, labels, on_progress)


def evaluate_files(predictor, paths: list[Path], labels, on_progress=None) -> Evaluation:
    """Predict the given images (`labels`: their truth, indices into the predictor's labels)."""
    judged, truths, given = [], [], []
    confusion = np.zeros((len(predictor.labels), len(predictor.labels)), dtype=int)
    mistakes, skipped = [], []
    for start in range(0, len(paths), BATCH):
        batch, kept = [], []
        for path, label in zip(paths[start:start + BATCH], labels[start:start + BATCH]):
            try:
                batch.append(prepare_image(open_image(path), predictor.size, predictor.grey))
                kept.append((path, int(label)))
            except (BadImage, OSError) as error:
                skipped.append((path, str(error)))
        if batch:
            for (path, label), probabilities in zip(kept, predictor.run(np.stack(batch))):
                guess = int(np.argmax(probabilities))
                confusion[label, guess] += 1
                judged.append(path)
                truths.append(label)
                given.append(np.asarray(probabilities, dtype=float))
                if guess != label:
                    mistakes.append(Mistake(path, label, np.asarray(probabilities, dtype=float)))
        if on_progress:
            on_progress(min(start + BATCH, len(paths)), len(paths))
    mistakes.sort(key=lambda m: -float(np.max(m.probabilities)))
    return Evaluation(confusion, mistakes, skipped, judged, np.array(truths, dtype=int),
                      np.array(given).reshape(len(given), len(predictor.labels)))


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """Counts: rows the truth, columns the prediction."""
    confusion = np.zeros((classes, classes), dtype=int)
    np.add.at(confusion, (np.asarray(labels, dtype=int), np.asarray(predicted, dtype=int)), 1)
    return confusion


def scores(labels: np.ndarray, probabilities: np.ndarray, k: int = 3) -> dict:
    """What one accuracy number hides on many classes: top-k accuracy (when there are more than k
    classes), and per-class precision, recall and F1 with their macro mean (each class counts
    alike, however many photos it has)."""
    labels = np.asarray(labels, dtype=int)
    classes = probabilities.shape[1]
    predicted = probabilities.argmax(-1)
    result = per_class(confusion_matrix(labels, predicted, classes))
    if classes > k:
        top = np.argsort(-probabilities, axis=1)[:, :k]
        result[f"top{k}"] = round(float(np.mean((top == labels[:, None]).any(1))), 4)
    return result


def per_class(confusion) -> dict:
    """Top-1, per-class precision, recall and F1 and their macro mean, from a confusion matrix alone
    (a card's, where the test photos are not on this machine)."""
    confusion = np.asarray(confusion, dtype=float)
    hits = np.diag(confusion)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.nan_to_num(hits / confusion.sum(0))
        recall = np.nan_to_num(hits / confusion.sum(1))
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    return {"top1": round(float(hits.sum() / max(confusion.sum(), 1)), 4), "macro_f1": round(float(f1.mean()), 4),
            "precision": [round(float(v), 4) for v in precision], "recall": [round(float(v), 4) for v in recall],
            "f1": [round(float(v), 4) for v in f1]}
