"""Tiny trained models for the robustness and load tests: trained and exported once per test
session through core.training.train (one epoch on generated data), whichever test file asks first."""
from __future__ import annotations

import shutil
from pathlib import Path

BROKEN_TRAINING_FILES = ("train/cats/broken.jpg", "train/dogs/notes.jpg")  # cut short; text
_runs: dict[str, Path] = {}


def tiny_run(recipe_id: str, data: Path, root: Path) -> Path:
    """The run dir of `recipe_id` ("mnist" or "scratch") trained on `data` under `root`.
    The cats/dogs data gets two unreadable files in train/ (they must be skipped, not fatal)."""
    if recipe_id not in _runs:
        from core.training.train import train

        if recipe_id != "mnist":
            copy = root / "cats_dogs_with_broken_files"
            shutil.copytree(data, copy)
            good = (copy / "train/cats/cat.0.jpg").read_bytes()
            truncated, text = BROKEN_TRAINING_FILES
            (copy / truncated).write_bytes(good[: len(good) // 3])
            (copy / text).write_text("not a photo\n")
            data = copy
        _runs[recipe_id] = train(recipe_id, epochs=1, data_dir=data, out=root / recipe_id, verbose=0)
    return _runs[recipe_id]
