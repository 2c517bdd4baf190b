"""Train one recipe into a run dir: checkpoints every epoch, a live JSON-lines log, the
test-split evaluation of the exported ONNX model, and the model card written last.

A run dir grows in this order: log.jsonl (appended live), model.keras + history.json +
state.json (atomically, after every epoch), model.onnx (after the parity check), card.json.
A killed run therefore leaves a resumable dir that the app does not show as finished.
"""
from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from core import __version__, recipes
from core.artifacts.files import atomic_write_json, sha256_file
from core.artifacts.log import RunLog
from core.artifacts.rundir import HISTORY_KEYS, new_run_dir
from core.data import folders, pipeline
from core.recipes import Recipe

TEMP_PATTERNS = (".model.*.keras", ".model.*.onnx", ".*.json.*.tmp")  # what a killed run leaves half-written


def hardware() -> dict:
    import tensorflow as tf

    from core.serving.system import cpu_name

    gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
    return {"device": "GPU" if gpus else "CPU", "gpus": gpus, "cpu": cpu_name(), "cpu_count": os.cpu_count()}


def versions() -> dict:
    import keras
    import onnx
    import onnxruntime
    import tensorflow as tf
    import tf2onnx

    return {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
            "tf2onnx": tf2onnx.__version__, "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__,
            "numpy": np.__version__, "convnet_classroom": __version__}


def _progress_callback(log: RunLog, epochs: int, steps: int, history: dict, on_epoch):
    import keras

    class Progress(keras.callbacks.Callback):
        """Writes batch and epoch events, and checkpoints after each epoch."""

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.time()

        def on_train_batch_end(self, batch, logs=None):
            if batch % max(1, steps // 20) == 0 or batch + 1 == steps:
                log("batch", epoch=self.epoch_number, batch=batch + 1, steps=steps,
                    loss=float(logs.get("loss", np.nan)), accuracy=float(logs.get("accuracy", np.nan)))

        def on_epoch_end(self, epoch, logs=None):
            for key in HISTORY_KEYS:
                history.setdefault(key, []).append(float(logs[key]))
            on_epoch(epoch + 1)
            log("epoch", epoch=epoch + 1, epochs=epochs, seconds=round(time.time() - self.started, 2),
                **{k: history[k][-1] for k in HISTORY_KEYS})

        @property
        def epoch_number(self):
            return len(history.get("accuracy", [])) + 1

    return Progress()


def _load_data(recipe: Recipe, data_dir, log: RunLog):
    """Train/validation/test arrays (uint8 pixels, NHWC) and the data's fingerprint."""
    data = recipe.data
    if data.layout == "keras_npz":
        path = folders.mnist_path(data_dir)
        (x, y), (x_test, y_test) = folders.load_mnist(data_dir)
        x, x_test = x[..., None], x_test[..., None]
        split = len(x) - data.validation_from_train
        fp = folders.file_fingerprint(path) if path else "keras-download"
        return (x[:split], y[:split]), (x[split:], y[split:]), (x_test, y_test), fp, []
    root = folders.cats_dogs_root(data_dir)
    splits = [folders.load_split(root, s, data.image_size, data.classes) for s in folders.SPLITS]
    skipped = [f"{p}: {why}" for s in splits for p, why in s.skipped]
    if skipped:
        log("warning", message=f"skipped {len(skipped)} unreadable images", files=skipped[:20])
    fp = folders.fingerprint([p for s in splits for p in s.paths])
    return *((s.x, s.y) for s in splits), fp, skipped


def compile_model(model, recipe: Recipe):
    """The recipe's optimiser, learning rate, loss and accuracy metric (the book's compile calls)."""
    import keras

    optimizer = keras.optimizers.get({"class_name": recipe.optimizer, "config": {
        "learning_rate": recipe.learning_rate} if recipe.learning_rate else {}})
    model.compile(optimizer=optimizer, loss=recipe.loss, metrics=["accuracy"])


def _save_checkpoint(model, run: Path, history: dict, epoch: int, meta: dict) -> None:
    tmp = run / f".model.{os.getpid()}.keras"
    model.save(tmp)
    os.replace(tmp, run / "model.keras")
    atomic_write_json(run / "history.json", history)
    atomic_write_json(run / "state.json", {**meta, "epochs_done": epoch})


def _confusion(labels: np.ndarray, predicted: np.ndarray, classes: int) -> list[list[int]]:
    matrix = np.zeros((classes, classes), dtype=int)
    np.add.at(matrix, (labels.astype(int), predicted.astype(int)), 1)
    return matrix.tolist()


def train(recipe_id: str, *, base: str | None = None, epochs: int | None = None, data_dir=None,
          out: Path | None = None, seed: int = 0, start_from: Path | None = None,
          resume: bool = False, base_weights: bool = True, verbose: int = 1) -> Path:
    """Train, evaluate, export; return the run dir. `resume` continues a killed run in `out`."""
    import keras

    from core.training import models
    from core.training.export import export_onnx, onnx_outputs

    recipe = recipes.get(recipe_id)
    planned = recipe.epochs
    if epochs:
        recipe = recipes.with_epochs(recipe, epochs)
    base = recipe.base_for(base)
    run = Path(out) if out else new_run_dir(recipe.id)
    state_path = run / "state.json"
    state = json.loads(state_path.read_text()) if resume and state_path.is_file() else None
    if resume and state is None:
        raise FileNotFoundError(f"{run} has no checkpoint to resume from (state.json missing)")
    if not resume and (run / "card.json").exists():
        raise FileExistsError(f"{run} already holds a finished run; choose another --out")
    run.mkdir(parents=True, exist_ok=True)
    (run / "card.json").unlink(missing_ok=True)
    for pattern in TEMP_PATTERNS:  # a killed run's partial checkpoint, export or JSON write
        for stale in run.glob(pattern):
            stale.unlink(missing_ok=True)
    if not resume:  # a restart begins a new log; a resumed run keeps its story
        (run / "log.jsonl").unlink(missing_ok=True)
    log = RunLog(run / "log.jsonl")
    started = time.time()
    try:
        keras.utils.set_random_seed(seed)
        log("start", recipe=recipe.id, base=base, epochs=recipe.epochs, resume=bool(state))
        log("phase", name="data")
        train_xy, val_xy, test_xy, fingerprint, skipped = _load_data(recipe, data_dir, log)
        history: dict = {}
        done = 0
        if state:
            model = keras.models.load_model(run / "model.keras")
            history = json.loads((run / "history.json").read_text())
            done = state["epochs_done"]
        elif recipe.starts_from:
            source = Path(start_from) if start_from else None
            if not source or not (source / "model.keras").is_file():
                raise FileNotFoundError(
                    f"{recipe.id} continues a trained {recipe.starts_from} model: pass --from RUN_DIR "
                    f"(a run of `python -m core train {recipe.starts_from}` holding model.keras)")
            model = keras.models.load_model(source / "model.keras")
            source_card = json.loads((source / "state.json").read_text())
            if source_card.get("base") != base:
                raise ValueError(f"{source} was trained with base {source_card.get('base')}, not {base}")
        else:
            model = models.build(recipe, base, base_weights=base_weights)
        if recipe.unfreeze_top:
            unfrozen = models.unfreeze_top(model, base)
            log("phase", name="unfreeze", layers=unfrozen)
        compile_model(model, recipe)
        meta = {"recipe": recipe.id, "base": base, "seed": seed, "epochs": recipe.epochs}

        fit_model, fit_train, fit_val = model, train_xy, val_xy
        if recipe.precompute_features:  # L5.17: the frozen base runs once over the images
            log("phase", name="features")
            extract = models.feature_extractor(model)
            fit_train = (extract.predict(train_xy[0].astype("float32"), batch_size=32, verbose=verbose), train_xy[1])
            fit_val = (extract.predict(val_xy[0].astype("float32"), batch_size=32, verbose=verbose), val_xy[1])
            fit_model = model.get_layer("classifier")
            compile_model(fit_model, recipe)
        train_ds = pipeline.dataset(*fit_train, recipe.batch_size, shuffle=True, augmentation=recipe.augmentation,
                                seed=seed, repeat=True)
        val_ds = pipeline.dataset(*fit_val, recipe.batch_size, shuffle=False)
        steps = recipe.steps_per_epoch(len(fit_train[0]))
        log("phase", name="train", steps=steps)

        def checkpoint(epoch):
            _save_checkpoint(model, run, history, epoch, meta)

        if done < recipe.epochs:
            fit_model.fit(train_ds, validation_data=val_ds, epochs=recipe.epochs, initial_epoch=done,
                          steps_per_epoch=steps, shuffle=False,
                          callbacks=[_progress_callback(log, recipe.epochs, steps, history, checkpoint)],
                          verbose=verbose)

        log("phase", name="export")
        x_test, y_test = test_xy
        diff = export_onnx(model, run / "model.onnx", x_test[:16].astype("float32"), recipe.data, fingerprint)
        log("phase", name="evaluate")
        outputs = np.concatenate([onnx_outputs(run / "model.onnx", x_test[i:i + 100].astype("float32"))
                                  for i in range(0, len(x_test), 100)])
        predicted = (outputs[:, 0] > 0.5).astype(int) if recipe.data.output == "sigmoid" else outputs.argmax(-1)
        accuracy = float(np.mean(predicted == y_test))
        card = {
            "recipe": recipe.id, "title": recipe.title, "listings": recipe.listings, "base": base,
            "dataset": recipe.dataset,
            "epochs": len(history.get("accuracy", [])), "epochs_planned": planned,
            "batch_size": recipe.batch_size, "steps_per_epoch": steps, "optimizer": recipe.optimizer,
            "learning_rate": recipe.learning_rate,
            "seed": seed, "data_fingerprint": fingerprint, "images_skipped": len(skipped),
            "train_size": int(len(train_xy[0])), "validation_size": int(len(val_xy[0])),
            "test_size": int(len(y_test)), "test_accuracy": round(accuracy, 4),
            "confusion": _confusion(y_test, predicted, recipe.classes),
            "book_test_accuracy": recipe.book_test_accuracy,
            "seconds": round(time.time() - started, 1), "hardware": hardware(), "versions": versions(),
            "sha256": sha256_file(run / "model.onnx"), "parity_max_abs_diff": diff,
            "started_from": str(start_from) if start_from else None,
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        atomic_write_json(run / "history.json", history)
        atomic_write_json(run / "card.json", card)
        log("done", test_accuracy=card["test_accuracy"], seconds=card["seconds"])
        return run
    except BaseException as error:
        log("error", message=f"{type(error).__name__}: {error}")
        raise
