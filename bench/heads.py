"""7. The head on EfficientNet-Lite0's features: global average pooling (what ships) vs the
book's Flatten (Listing 5.18). At 150 px Lite0's last map is 5x5x1280, so Flatten feeds 32,000
numbers to Dense(256): 7.9 M weights (30 MB) more per shipped model. This measures what the
smaller head costs in test accuracy, training both on the same features with the recipe's
schedule (feature_extraction: RMSprop 2e-5, batch 20, 30 epochs, dropout 0.5)."""
from __future__ import annotations

import numpy as np

from bench import table

TITLE = "Lite0 head: global average pooling vs the book's Flatten, on the same features"


def missing() -> str | None:
    from core.data import folders

    try:
        folders.cats_dogs_root()
    except folders.DataFolderError:
        return "needs the cats/dogs split (../shared/data or $CONVNET_DATA)"
    return None


def run(quick: bool) -> dict:
    import keras

    from core import recipes
    from core.data import folders
    from core.training import models
    from core.training.train import compile_model

    recipe = recipes.get("feature_extraction")
    epochs = 1 if quick else recipe.epochs
    root = folders.cats_dogs_root()
    splits = {s: folders.load_split(root, s, recipe.data.image_size, recipe.data.classes) for s in folders.SPLITS}
    if quick:
        splits = {s: folders.Images(i.x[::25], i.y[::25], i.paths[::25], []) for s, i in splits.items()}
    extract = models.feature_extractor(models.build(recipe, recipes.DEFAULT_BASE))
    features = {s: extract.predict(i.x.astype("float32"), batch_size=32, verbose=0) for s, i in splits.items()}
    rows, data_out = [], {}
    for pooling in ("avg", "flatten"):
        keras.utils.set_random_seed(0)
        head = models.head(recipe, recipes.DEFAULT_BASE, features["train"].shape[1:], pooling=pooling)
        compile_model(head, recipe)
        history = head.fit(features["train"], splits["train"].y, batch_size=recipe.batch_size, epochs=epochs,
                           validation_data=(features["validation"], splits["validation"].y), verbose=0)
        predicted = (head.predict(features["test"], verbose=0)[:, 0] > 0.5).astype(int)
        accuracy = float(np.mean(predicted == splits["test"].y))
        params = int(head.count_params())
        data_out[pooling] = {"test_accuracy": accuracy, "head_params": params,
                             "best_val_accuracy": float(max(history.history["val_accuracy"]))}
        rows.append([pooling, params, params * 4 / 2**20, data_out[pooling]["best_val_accuracy"], accuracy])
    cost = (data_out["flatten"]["test_accuracy"] - data_out["avg"]["test_accuracy"]) * 100
    return {
        "tables": [table(f"feature_extraction head on Lite0 features, {epochs} epochs, seed 0, test split "
                         f"of {len(splits['test'].y)} images", ["head", "head params", "head MB (float32)",
                                                                "best val accuracy", "test accuracy"], rows)],
        "targets": [],
        "notes": [f"Flatten's test accuracy minus the pooled head's: {cost:+.1f} points, for "
                  f"{data_out['flatten']['head_params'] / data_out['avg']['head_params']:.0f}× the head's weights.",
                  "Both heads train on one set of features computed once, as Listing 5.17 does; only the "
                  "pooling layer differs. A positive cost means Flatten was more accurate."],
        "data": data_out,
    }
