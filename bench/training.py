"""5. Training time per recipe on this CPU: a few real training steps of each recipe (its model,
batch size, optimiser and augmentation pipeline, on random pixels of the right shape) timed and
extrapolated to an epoch and to the book's schedule, beside the epoch times logged by finished
runs. The GPU side is `bench/gpu.sh` (the full schedule under JAX, `python -m bench.gpu train`),
whose runs `python -m bench.training collect` turns into `gpu_training.json`."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import RESULTS_DIR, median, table, target

TITLE = "Training time per recipe: this CPU, and the full schedule on a GPU (bench/gpu.sh)"
GPU_RESULTS = "gpu_training"
GPU_TARGET_MIN = 10.0
BOOK_TRAIN_IMAGES = 2000  # Listing 5.4: 1,000 cats + 1,000 dogs


def missing() -> str | None:
    return None


def _train_size(recipe) -> int:
    from core.data import folders

    if recipe.data.layout == "keras_npz":
        return 60_000 - recipe.data.validation_from_train
    try:
        return len(folders.split_files(folders.cats_dogs_root(), "train", recipe.data.classes)[0])
    except folders.DataFolderError:
        return BOOK_TRAIN_IMAGES


def _no_log(event, **fields) -> None:
    """The trainer's phases log; a benchmark has no run dir to log into."""


def _step_seconds(fit_model, recipe, train_xy, warm: int) -> list[float]:
    """Seconds per training step through the trainer's own stream (core.training.train.fit_data:
    shuffling, the book's batches, augmentation on images), the first `warm` steps (tracing) dropped."""
    import keras

    from core.training.train import fit_data

    ends: list[float] = []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if not ends:
                ends.append(time.perf_counter())

        def on_train_batch_end(self, batch, logs=None):
            ends.append(time.perf_counter())

    train_ds, _, _ = fit_data(recipe, train_xy, train_xy, seed=0)
    fit_model.fit(train_ds, epochs=1, steps_per_epoch=len(train_xy[0]) // recipe.batch_size, verbose=0,
                  callbacks=[Clock()])
    return list(np.diff(ends)[warm:])


def measure(recipe_id: str, steps: int, warm: int) -> dict:
    """Median seconds per training step of one recipe, and its epoch and schedule extrapolated:
    the model, the features phase and the input stream are the trainer's own functions."""
    from core import recipes
    from core.training.train import Splits, model_to_fit, start_model

    recipe = recipes.get(recipe_id)
    base = recipe.base_for()
    with tempfile.TemporaryDirectory() as parent:  # L5.22 continues a trained model: an untrained one of its shape
        if recipe.starts_from:
            start_model(recipes.get(recipe.starts_from), base, _no_log, base_weights=False).save(f"{parent}/model.keras")
            Path(parent, "state.json").write_text(json.dumps({"base": base}))
        model = start_model(recipe, base, _no_log, base_weights=False,  # timing needs shapes, not weights
                            start_from=Path(parent) if recipe.starts_from else None)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (recipe.batch_size * (steps + warm), *recipe.input_shape), dtype=np.uint8)
    labels = rng.integers(0, recipe.classes, len(images))
    splits = Splits((images, labels), (images[:recipe.batch_size], labels[:recipe.batch_size]),
                    (images[:1], labels[:1]), "random")
    train_size = _train_size(recipe)
    once = 0.0
    model_to_fit(model, recipe, splits, _no_log)  # traced once, so the timed call below is steady
    started = time.perf_counter()
    fit_model, train_xy, _ = model_to_fit(model, recipe, splits, _no_log)
    if recipe.precompute_features:  # L5.17: the base runs once over train + validation, then the head trains
        per_image = (time.perf_counter() - started) / (len(images) + recipe.batch_size)
        once = per_image * (train_size + train_size // 2)  # validation is half the training split (L5.4)
    step = median(_step_seconds(fit_model, recipe, train_xy, warm))
    steps_per_epoch = recipe.steps_per_epoch(train_size)
    return {"recipe": recipe_id, "batch": recipe.batch_size, "steps_per_epoch": steps_per_epoch, "step_s": step,
            "epoch_s": step * steps_per_epoch, "once_s": once, "epochs": recipe.epochs,
            "schedule_min": (step * steps_per_epoch * recipe.epochs + once) / 60, "measured_steps": steps}


def logged(recipe_id: str) -> dict | None:
    """Epoch times of the newest run of this recipe that logged any (runs/<id>/log.jsonl), and
    its card's all-in seconds per epoch where it finished."""
    from core.artifacts.log import read_log
    from core.paths import runs_dir

    best = None
    for log_path in runs_dir().glob("*/log.jsonl"):
        events = read_log(log_path)
        if not events or events[0].get("recipe") != recipe_id:
            continue
        epochs = [e["seconds"] for e in events if e.get("event") == "epoch" and "seconds" in e]
        if epochs and (best is None or log_path.stat().st_mtime > best["mtime"]):
            best = {"run": log_path.parent.name, "epoch_s": median(epochs), "epochs": len(epochs),
                    "mtime": log_path.stat().st_mtime}
    return best


def _gpu_results() -> dict | None:
    path = RESULTS_DIR / f"{GPU_RESULTS}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def run(quick: bool) -> dict:
    from core import recipes

    chosen = ("mnist",) if quick else recipes.RECIPE_IDS
    # The first steps trace the graph while tf.data fills its buffers ahead: skip enough of them
    # that the measured steps wait for the input pipeline as a whole epoch does.
    steps, warm = (2, 1) if quick else (8, 4)
    gpu = _gpu_results()
    gpu_seconds = (gpu or {}).get("data", {}).get("recipes", {})
    rows, data = [], {}
    for recipe_id in chosen:
        mnist = recipes.get(recipe_id).dataset == "mnist"  # its steps are cheap: more of them
        m = measure(recipe_id, steps * 6 if mnist else steps, warm)
        log = logged(recipe_id)
        on_gpu = gpu_seconds.get(recipe_id)
        rows.append([recipe_id, m["batch"], m["steps_per_epoch"], m["step_s"], m["epoch_s"],
                     f"{log['epoch_s']:.1f} ({log['epochs']} epochs, runs/{log['run']})" if log else "no run logged",
                     m["epochs"], m["once_s"] or None, m["schedule_min"],
                     f"{on_gpu['seconds'] / 60:.1f} min" if on_gpu else "prepared, not run"])
        data[recipe_id] = {**m, "logged": log}
    if gpu:
        total = gpu["data"]["total_s"] / 60
        gpu_target = target("all six recipes, full schedule, on the GPU (bench/gpu.sh), set-up included",
                            f"≤ {GPU_TARGET_MIN:g} min", f"{total:.1f} min on {gpu['data'].get('device', 'GPU')}",
                            total <= GPU_TARGET_MIN)
    else:
        gpu_target = target("all six recipes, full schedule, on the GPU (bench/gpu.sh), set-up included",
                            f"≤ {GPU_TARGET_MIN:g} min", "not run: no GPU machine was lent to this task; "
                            "bench/gpu.sh is prepared", None)
    columns = ["recipe", "batch", "steps/epoch", "s/step (measured)", "s/epoch (extrapolated)",
               "s/epoch logged by a run", "book's epochs", "one-off features s", "book schedule, min (this CPU)",
               "GPU, full schedule"]
    return {
        "tables": [table("Seconds per training step on this CPU, extrapolated", columns, rows)],
        "targets": [gpu_target],
        "notes": [
            f"Measured: {steps} training steps per recipe after {warm} warm-up step(s) (tracing), through "
            "`core.data.dataset` with the recipe's augmentation, optimiser and batch size, on random pixels (the "
            "work per step does not depend on them); median step × steps per epoch. Validation passes, data "
            "loading and export are not in it; the logged column (Keras' epoch time, validation included) "
            "comes from a finished or running run's log.jsonl where there is one.",
            "feature_extraction (L5.17) runs the frozen base once over the training and validation images "
            "(the one-off column), then trains only the head on the features each epoch.",
            "Absolute seconds on a shared 2-core machine: other work was running too (see the load average).",
            "GPU: `bash bench/gpu.sh --prepare` here copies the data into data/ and downloads the wheels the lent "
            "machine lacks into .whl/ (both git-ignored, carried); `bash bench/gpu.sh` there trains the six recipes "
            "under JAX (`python -m bench.gpu train`, no export: it has no TensorFlow) and writes gpu_training.json, "
            "which this table then shows.",
        ],
        "data": {"recipes": data, "gpu": gpu_seconds or None},
    }


def collect(runs: Path, results: Path, setup_s: float, train_s: float | None) -> Path:
    """gpu_training.json from bench/gpu.sh's runs folder (`python -m bench.gpu train`: one run
    dir per recipe, no export): per recipe its backend, device and precision (the start event),
    epochs done of the book's, seconds and epoch times (the log), the Keras model's test accuracy
    (the done event) and the whole history, so the curves can be set beside the CPU runs'.
    A recipe cut short by the time budget counts with the epochs it finished."""
    import bench
    from core import recipes
    from core.artifacts.log import read_log

    per_recipe = {}
    for recipe_id in recipes.RECIPE_IDS:
        run = runs / recipe_id
        events = read_log(run / "log.jsonl") if (run / "log.jsonl").is_file() else []
        if not events:
            continue
        start = next((e for e in events if e.get("event") == "start"), {})
        done = next((e for e in events if e.get("event") == "done"), None)
        epochs = [e["seconds"] for e in events if e.get("event") == "epoch"]
        history = json.loads((run / "history.json").read_text()) if (run / "history.json").is_file() else {}
        per_recipe[recipe_id] = {
            "seconds": done["seconds"] if done else round(events[-1]["time"] - events[0]["time"], 1),
            "epochs": len(history.get("val_accuracy", [])), "book_epochs": recipes.get(recipe_id).epochs,
            "epoch_s": median(epochs) if epochs else None, "test_accuracy": done.get("test_accuracy") if done else None,
            "final_val_accuracy": history["val_accuracy"][-1] if history.get("val_accuracy") else None,
            "backend": start.get("backend"), "device": start.get("device"), "precision": start.get("precision"),
            "history": history}
    training = train_s if train_s is not None else sum(r["seconds"] for r in per_recipe.values())
    total = setup_s + training
    devices = sorted({str(r["device"]) for r in per_recipe.values()})
    complete = len(per_recipe) == len(recipes.RECIPE_IDS) and all(r["epochs"] == r["book_epochs"] for r in per_recipe.values())
    rows = [[r, f"{v['epochs']} ({v['book_epochs']})", v["seconds"], v["epoch_s"], v["final_val_accuracy"],
             v["test_accuracy"], f"{v['backend']}, {v['device']}, {v['precision']}"] for r, v in per_recipe.items()]
    report = {
        "tables": [table("Full schedule, `python -m bench.gpu train` (no export)",
                         ["recipe", "epochs (book's)", "seconds", "median epoch s", "final val accuracy",
                          "test accuracy (Keras)", "backend, device, precision"], rows)],
        "targets": [target("all six recipes, set-up included", f"≤ {GPU_TARGET_MIN:g} min",
                           f"{total / 60:.1f} min (set-up {setup_s:.0f} s, training {training:.0f} s)"
                           + ("" if complete else "; not the full schedule, so not the target's measurement"),
                           total / 60 <= GPU_TARGET_MIN and complete)],
        "notes": [f"{len(per_recipe)} of {len(recipes.RECIPE_IDS)} recipes ran"
                  + ("" if complete else "; fewer epochs than the book's (see the epochs column)")
                  + f"; device: {', '.join(devices) or 'none'}. Test accuracy is the Keras model's: "
                  "the machine has no TensorFlow, so nothing was exported there."],
        "data": {"recipes": per_recipe, "setup_s": setup_s, "training_s": training, "total_s": total,
                 "device": ", ".join(devices)},
    }
    return bench.write_result(results, GPU_RESULTS, "Training on the GPU machine (bench/gpu.sh)", report, False,
                              total, bench.machine())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.training", description="collect bench/gpu.sh's timings")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect", help="write gpu_training.json from bench/gpu.sh's runs folder")
    c.add_argument("runs", type=Path)
    c.add_argument("--results", type=Path, default=RESULTS_DIR)
    c.add_argument("--setup-seconds", type=float, default=0.0)
    c.add_argument("--train-seconds", type=float)
    args = p.parse_args(argv)
    print(collect(args.runs, args.results, args.setup_seconds, args.train_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
