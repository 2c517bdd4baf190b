"""9. Choosing feature_extraction's learning rate for CCSN on its validation split only (the
test split is never looked at). The book's 2e-5 suits one sigmoid unit on 2,000 photos; eleven
genera on a softmax need another. The frozen base runs once (Listing 5.17), then the recipe's
head trains at each learning rate for the book's 30 epochs; the best validation accuracy at the
last epoch picks the rate, which core/recipes.py's TUNINGS records. The best epoch of each
curve is shown too, to judge whether 30 epochs is too few or too many."""
from __future__ import annotations

import numpy as np

from bench import leak, table
from bench.leak import DATA, data_folder

TITLE = "CCSN: feature_extraction's learning rate and epochs, chosen on the validation split"
RECIPE = "feature_extraction"
RATES = (2e-5, 1e-4, 1e-3)


def missing() -> str | None:
    return leak.missing()


def run(quick: bool) -> dict:
    import dataclasses
    import tempfile
    from pathlib import Path

    import keras

    from core import recipes
    from core.artifacts.log import RunLog
    from core.training import models, train

    with tempfile.TemporaryDirectory() as scratch:  # the data phase logs; nothing here keeps its log
        data = data_folder(quick, Path(scratch))
        recipe = train.resolve(recipes.get(RECIPE), data)
        splits = train.load_data(recipe, data, RunLog(Path(scratch) / "log.jsonl"))
    base = recipe.base_for()
    extract = models.feature_extractor(models.build(recipe, base))
    (x, y), (x_val, y_val) = splits.train, splits.validation
    features, val_features = (extract.predict(a.astype("float32"), batch_size=32, verbose=0) for a in (x, x_val))
    epochs = 2 if quick else recipe.epochs
    curves = {}
    for rate in RATES:
        keras.utils.set_random_seed(0)
        head = models.head(recipe, base, features.shape[1:])
        train.compile_model(head, dataclasses.replace(recipe, learning_rate=rate))
        curves[rate] = head.fit(features, y, batch_size=recipe.batch_size, epochs=epochs,
                                validation_data=(val_features, y_val), verbose=0).history["val_accuracy"]
    best = max(RATES, key=lambda r: curves[r][-1])
    rows = [[f"{r:g}", round(max(c), 4), int(np.argmax(c)) + 1, round(c[-1], 4)] for r, c in curves.items()]
    return {
        "tables": [table(f"{RECIPE} head on {DATA}: validation accuracy ({len(y)} training photos, "
                         f"{len(y_val)} validation photos, seed 0, {epochs} epochs)",
                         ["learning rate", "best val accuracy", "at epoch", f"at epoch {epochs}"], rows)],
        "targets": [],
        "notes": [f"Chosen: learning rate {best:g} (the highest validation accuracy after {epochs} epochs); "
                  "core/recipes.py TUNINGS holds it."],
        "data": {"learning_rate": best, "epochs": epochs,
                 "val_accuracy": {f"{r:g}": [round(v, 4) for v in c] for r, c in curves.items()}},
    }
