"""`train-all`: retrain every recipe in dependency order and promote each into trained/."""
from __future__ import annotations

import time
from pathlib import Path

from core import recipes
from core.artifacts.card import Card
from core.artifacts.rundir import new_run_dir
from core.artifacts.shipped import promote
from core.training.train import train


def train_all(epochs: dict[str, int], base: str | None = None, data_dir=None, seed: int = 0) -> None:
    """Retrain every recipe in dependency order and promote each (fine_tuning continues the
    feature_extraction_augmented run)."""

    done: dict[str, Path] = {}
    for recipe_id in recipes.RECIPE_IDS:
        recipe = recipes.get(recipe_id)
        started = time.time()
        run = train(recipe_id, base=base, epochs=epochs.get(recipe_id), data_dir=data_dir, seed=seed,
                    out=new_run_dir(recipe_id), start_from=done.get(recipe.starts_from), verbose=2)
        done[recipe_id] = run
        promote(run)
        print(f"{recipe_id}: test accuracy {Card.read(run).test_accuracy:.4f} in {time.time() - started:.0f} s")
