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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from core import __version__, recipes
from core.artifacts.card import CARD_NAME, Card
from core.artifacts.files import atomic_write_json, sha256_file
from core.artifacts.log import Event, Phase, RunLog
from core.artifacts.rundir import HISTORY_KEYS, new_run_dir
from core.data import folders, pipeline
from core.paths import MANIFEST_NAME
from core.reasons import Code, Reason, reason_of
from core.recipes import Recipe

EVALUATION_BATCH = 100
TEMP_PATTERNS = (".model.*.keras", ".model.*.onnx", ".*.json.*.tmp")  # what a killed run leaves half-written


def hardware() -> dict:
    """The machine the run trains on: CPU or GPU as the Keras backend sees it (the trainer adds
    the dtype policy it computes in, `precision`)."""
    from core.serving.system import cpu_name

    gpus = accelerators()
    return {"device": "GPU" if gpus else "CPU", "gpus": gpus, "cpu": cpu_name(), "cpu_count": os.cpu_count()}


def accelerators() -> list[str]:
    """The GPUs the Keras backend in use trains on (each backend asks its own way)."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return [str(d) for d in jax.devices() if d.platform == "gpu"]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    import tensorflow as tf

    return [d.name for d in tf.config.list_physical_devices("GPU")]


def precision_for(device: str, asked: str | None) -> str:
    """The Keras dtype policy: the one asked for, else mixed_bfloat16 on a GPU (its tensor cores;
    the output layers stay float32) and float32 on a CPU (where bfloat16 is slower)."""
    return asked or ("mixed_bfloat16" if device == "GPU" else "float32")


VERSIONED = {"tensorflow": ("tensorflow", "tensorflow-cpu"), "keras": ("keras",), "jax": ("jax",),
             "jaxlib": ("jaxlib",), "torch": ("torch",), "tf2onnx": ("tf2onnx",), "onnx": ("onnx",),
             "onnxruntime": ("onnxruntime", "onnxruntime-gpu"), "numpy": ("numpy",)}


def versions() -> dict:
    """Python's and each installed library's version, read from the install (nothing imported:
    a JAX run need not load TensorFlow to say it is absent)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name, distributions in VERSIONED.items():
        for distribution in distributions:
            try:
                found[name] = version(distribution)
                break
            except PackageNotFoundError:
                continue
    return {**found, "convnet_classroom": __version__}


def _progress_callback(log: RunLog, epochs: int, steps: int, history: dict, on_epoch):
    import keras

    class Progress(keras.callbacks.Callback):
        """Writes batch and epoch events, and checkpoints after each epoch."""

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.time()

        def on_train_batch_end(self, batch, logs=None):
            if batch % max(1, steps // 20) == 0 or batch + 1 == steps:
                log(Event.BATCH, epoch=self.epoch_number, batch=batch + 1, steps=steps,
                    loss=float(logs.get("loss", np.nan)), accuracy=float(logs.get("accuracy", np.nan)))

        def on_epoch_end(self, epoch, logs=None):
            for key in HISTORY_KEYS:
                history.setdefault(key, []).append(float(logs[key]))
            on_epoch(epoch + 1)
            log(Event.EPOCH, epoch=epoch + 1, epochs=epochs, seconds=round(time.time() - self.started, 2),
                **{k: history[k][-1] for k in HISTORY_KEYS})

        @property
        def epoch_number(self):
            return len(history.get("accuracy", [])) + 1

    return Progress()


@dataclass
class Splits:
    """The data a run sees: (pixels uint8 NHWC, labels) per split, and what identifies it."""

    train: tuple[np.ndarray, np.ndarray]
    validation: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]
    fingerprint: str
    skipped: list[str] = field(default_factory=list)  # "path: why" of each unreadable image
    check: dict | None = None  # a labelled folder's data check and split (core.data.check, .manifest)


def load_data(recipe: Recipe, data_dir, log: RunLog, run: Path | None = None, seed: int = 0,
              split_mode: str = "clean") -> Splits:
    """Phase "data": the recipe's splits, decoded with the serving path's preprocessing
    (`split_mode`: a labelled folder's, core.data.manifest.MODES)."""
    log(Event.PHASE, name=Phase.DATA)
    data = recipe.data
    if data.layout == "labelled":
        return _load_labelled(data, data_dir, log, run, seed, split_mode)
    if data.layout == "keras_npz":
        path = folders.mnist_path(data_dir)
        (x, y), (x_test, y_test) = folders.load_mnist(data_dir)
        x, x_test = x[..., None], x_test[..., None]
        split = len(x) - data.validation_from_train
        fingerprint = folders.file_fingerprint(path) if path else "keras-download"
        return Splits((x[:split], y[:split]), (x[split:], y[split:]), (x_test, y_test), fingerprint)
    root = folders.cats_dogs_root(data_dir)
    splits = [folders.load_split(root, s, data.image_size, data.classes) for s in folders.SPLITS]
    skipped = [f"{p}: {why}" for s in splits for p, why in s.skipped]
    if skipped:
        log(Event.WARNING, message=f"skipped {len(skipped)} unreadable images", files=skipped[:20],
            code=Code.IMAGES_SKIPPED, params={"count": len(skipped)})
    fingerprint = folders.fingerprint([p for s in splits for p in s.paths])
    return Splits(*((s.x, s.y) for s in splits), fingerprint, skipped)


def _load_labelled(data, data_dir, log: RunLog, run: Path | None, seed: int, split_mode: str) -> Splits:
    """A user's labelled folder: checked, split without leaks (copies together, label conflicts
    left out), the manifest kept in the run dir (split.json), each split decoded."""
    from core.data import check, labelled, manifest

    found = labelled.scan(data_dir)
    report = check.check(found.root, found)
    chosen = manifest.split(report, seed, found.splits, split_mode)
    if run is not None:
        atomic_write_json(run / MANIFEST_NAME, chosen.to_json())
    decoded = []
    for side in folders.SPLITS:
        pairs = [(found.root / f, label) for label, name in enumerate(data.classes) for f in chosen.files[side][name]]
        decoded.append(folders.decode([p for p, _ in pairs], np.array([y for _, y in pairs]), data.image_size,
                                      f"decode {side}"))
    skipped = [f"{p}: {why}" for d in decoded for p, why in d.skipped]
    summary = {"root": str(found.root), "classes": list(found.classes), "display_names": found.display_names,
               "images": found.images, "unreadable": len(report.unreadable),
               "duplicate_groups": len(report.groups), "exact_groups": len(report.exact),
               "label_conflicts": len(report.conflicts), "conflicts": report.to_json()["conflicts"],
               "left_out": len(chosen.left_out), "split": chosen.counts(), "split_mode": split_mode,
               "manifest": MANIFEST_NAME, "seed": seed, "presplit": chosen.presplit}
    log(Event.WARNING, message=f"data check: {len(report.groups)} groups of copies kept together, "
                               f"{len(chosen.left_out)} photos under two classes left out")
    return Splits(*((d.x, d.y) for d in decoded), folders.fingerprint([p for d in decoded for p in d.paths]),
                  skipped, summary)


def resolve(recipe: Recipe, data_dir) -> Recipe:
    """The recipe on the data it will see: its own, or, for a cats/dogs recipe given a folder of
    class folders that is not the book's split (`--data ../shared/data/ccsn`), that folder."""
    from core import datasets
    from core.data import labelled

    if not data_dir or recipe.data.layout != "folders":
        return recipe
    try:
        folders.cats_dogs_root(data_dir)
        return recipe
    except folders.DataFolderError as not_the_book:
        try:
            found = labelled.scan(data_dir)
        except folders.DataFolderError:
            raise not_the_book from None
    dataset = datasets.labelled(found.root.name, found.classes, found.display_names)
    datasets.register(dataset)
    return recipes.on_data(recipe, dataset.id)


def compile_model(model, recipe: Recipe):
    """The recipe's optimiser, learning rate, loss and accuracy metric (the book's compile calls)."""
    import keras

    optimizer = keras.optimizers.get({"class_name": recipe.optimizer, "config": {
        "learning_rate": recipe.learning_rate} if recipe.learning_rate else {}})
    model.compile(optimizer=optimizer, loss=recipe.loss, metrics=["accuracy"])


def start_model(recipe: Recipe, base: str | None, log: RunLog, *, run: Path | None = None, resumed: bool = False,
                start_from: Path | None = None, base_weights: bool = True):
    """The model to fit: resumed from the run's checkpoint, continued from `start_from` (fine-tuning,
    L5.22), or built anew; then phase "unfreeze" where the recipe fine-tunes; compiled."""
    import keras

    from core.training import models

    if resumed:
        model = keras.models.load_model(run / "model.keras")
    elif recipe.starts_from:
        if not start_from or not (Path(start_from) / "model.keras").is_file():
            raise FileNotFoundError(Reason(
                Code.NO_SOURCE, f"{recipe.id} continues a trained {recipe.starts_from} model: pass --from RUN_DIR "
                f"(a run of `python -m core train {recipe.starts_from}` holding model.keras)",
                parent=recipe.starts_from))
        model = keras.models.load_model(Path(start_from) / "model.keras")
        source_base = json.loads((Path(start_from) / "state.json").read_text()).get("base")
        if source_base != base:
            raise ValueError(Reason(Code.SOURCE_BASE, f"{start_from} was trained with base {source_base}, not {base}",
                                    source=Path(start_from).name, expected=str(source_base)))
    else:
        model = models.build(recipe, base, base_weights=base_weights)
    if recipe.unfreeze_top:
        log(Event.PHASE, name=Phase.UNFREEZE, layers=models.unfreeze_top(model, base, recipe.unfreeze_blocks))
    compile_model(model, recipe)
    return model


def model_to_fit(model, recipe: Recipe, splits: Splits, log: RunLog, verbose: int = 0):
    """(the model fit trains, its training pairs, its validation pairs). Phase "features" for
    L5.17: the frozen base runs once over the images and the compiled head trains on its output."""
    from core.training import models

    if not recipe.precompute_features:
        return model, splits.train, splits.validation
    log(Event.PHASE, name=Phase.FEATURES)
    extract = models.feature_extractor(model)
    train_xy, val_xy = ((extract.predict(x.astype("float32"), batch_size=32, verbose=verbose), y)
                        for x, y in (splits.train, splits.validation))
    head = model.get_layer(models.CLASSIFIER)
    compile_model(head, recipe)
    return head, train_xy, val_xy


def fit_data(recipe: Recipe, train_xy, val_xy, seed: int):
    """(training stream, validation set, batches per epoch): the book's steps per epoch over an
    endless shuffled stream, augmented where the recipe says so (on images, never on features)."""
    train_ds = pipeline.dataset(*train_xy, recipe.batch_size, shuffle=True, augmentation=recipe.augmentation,
                                seed=seed, repeat=True)
    val_ds = pipeline.dataset(*val_xy, recipe.batch_size, shuffle=False)
    return train_ds, val_ds, recipe.steps_per_epoch(len(train_xy[0]))


def _save_checkpoint(model, run: Path, history: dict, epoch: int, meta: dict) -> None:
    tmp = run / f".model.{os.getpid()}.keras"
    model.save(tmp)
    os.replace(tmp, run / "model.keras")
    atomic_write_json(run / "history.json", history)
    atomic_write_json(run / "state.json", {**meta, "epochs_done": epoch})


def fit(model, fit_model, recipe: Recipe, train_xy, val_xy, *, run: Path, history: dict, done: int, meta: dict,
        seed: int, log: RunLog, verbose: int) -> None:
    """Phase "train": epochs `done`+1 .. recipe.epochs, a checkpoint of the whole model after each."""
    train_ds, val_ds, steps = fit_data(recipe, train_xy, val_xy, seed)
    log(Event.PHASE, name=Phase.TRAIN, steps=steps)
    if done >= recipe.epochs:
        return

    def checkpoint(epoch):
        _save_checkpoint(model, run, history, epoch, meta)

    fit_model.fit(train_ds, validation_data=val_ds, epochs=recipe.epochs, initial_epoch=done, steps_per_epoch=steps,
                  shuffle=False, callbacks=[_progress_callback(log, recipe.epochs, steps, history, checkpoint)],
                  verbose=verbose)


def export(model, recipe: Recipe, run: Path, splits: Splits, log: RunLog) -> float:
    """Phase "export": model.onnx labelled with its data set, parity-checked against Keras on
    test images; the max abs diff."""
    from core.training.export import export_onnx

    log(Event.PHASE, name=Phase.EXPORT)
    return export_onnx(model, run / "model.onnx", splits.test[0][:16].astype("float32"), recipe.data,
                       splits.fingerprint)


def evaluate(run: Path, test_xy, log: RunLog) -> tuple[float, list[list[int]], dict]:
    """Phase "evaluate": the exported model through the serving path's Predictor on the test
    split; (accuracy, confusion counts (rows truth, columns prediction), core.serving.evaluate.scores)."""
    from core.serving.evaluate import confusion_matrix, scores
    from core.serving.inference import Predictor

    log(Event.PHASE, name=Phase.EVALUATE)
    x_test, y_test = test_xy
    predictor = Predictor(run, verified=False)  # the card comes after this measurement
    probabilities = np.concatenate([predictor.run(x_test[i:i + EVALUATION_BATCH])
                                    for i in range(0, len(x_test), EVALUATION_BATCH)])
    predicted = probabilities.argmax(-1)
    confusion = confusion_matrix(y_test, predicted, len(predictor.labels))
    return float(np.mean(predicted == y_test)), confusion.tolist(), scores(y_test, probabilities)


def evaluate_keras(model, test_xy, log: RunLog) -> float:
    """Phase "evaluate" where nothing is exported (a machine without TensorFlow): the Keras
    model's own accuracy on the test split."""
    import keras

    log(Event.PHASE, name=Phase.EVALUATE)
    x_test, y_test = test_xy
    probabilities = keras.ops.convert_to_numpy(model.predict(x_test.astype("float32"), batch_size=EVALUATION_BATCH,
                                                             verbose=0))
    predicted = (probabilities[:, 0] > 0.5).astype(int) if probabilities.shape[-1] == 1 else probabilities.argmax(-1)
    return float(np.mean(predicted == y_test))


def _open_run(recipe: Recipe, out: Path | None, resume: bool) -> tuple[Path, dict | None]:
    """The run dir, cleared of what a killed run left half-written; its checkpoint state when resuming."""
    own_data = recipe.data is recipes.get(recipe.id).data  # else a labelled folder (--data): its name joins the run's
    run = Path(out) if out else new_run_dir(recipe.id if own_data else f"{recipe.id}-{recipe.dataset}")
    state_path = run / "state.json"
    state = json.loads(state_path.read_text()) if resume and state_path.is_file() else None
    if resume and state is None:
        raise FileNotFoundError(Reason(Code.NO_CHECKPOINT,
                                       f"{run} has no checkpoint to resume from (state.json missing)"))
    if not resume and (run / CARD_NAME).exists():
        raise FileExistsError(f"{run} already holds a finished run; choose another --out")
    run.mkdir(parents=True, exist_ok=True)
    (run / CARD_NAME).unlink(missing_ok=True)
    for pattern in TEMP_PATTERNS:
        for stale in run.glob(pattern):
            stale.unlink(missing_ok=True)
    if not resume:  # a restart begins a new log; a resumed run keeps its story
        (run / "log.jsonl").unlink(missing_ok=True)
    return run, state


def train(recipe_id: str, *, base: str | None = None, epochs: int | None = None, data_dir=None,
          out: Path | None = None, seed: int = 0, start_from: Path | None = None,
          resume: bool = False, base_weights: bool = True, verbose: int = 1, precision: str | None = None,
          to_onnx: bool = True, split_mode: str = "clean") -> Path:
    """Train, export, evaluate, write the card; return the run dir. `resume` continues a killed
    run in `out`. Reads top to bottom as the log tells it: data, model, features, train,
    export, evaluate. Runs under whichever Keras backend is loaded ($KERAS_BACKEND);
    `precision` is a Keras dtype policy (default: precision_for the device). Without `to_onnx`
    (a machine without TensorFlow, bench/gpu.sh) the run stops after the Keras model's test
    accuracy, logged in its done event: checkpoints and history, no model.onnx, no card."""
    import keras

    recipe = recipes.get(recipe_id)
    try:
        recipe, unusable = resolve(recipe, data_dir), None
    except folders.DataFolderError as error:  # logged below, in the run it would have been
        unusable = error
    planned = recipe.epochs
    if epochs:
        recipe = recipes.with_epochs(recipe, epochs)
    base = recipe.base_for(base)
    run, state = _open_run(recipe, out, resume)
    log = RunLog(run / "log.jsonl")
    started = time.time()
    try:
        if unusable:
            raise unusable
        keras.utils.set_random_seed(seed)
        machine = hardware()
        machine["precision"] = precision_for(machine["device"], precision)
        keras.config.set_dtype_policy(machine["precision"])
        log(Event.START, recipe=recipe.id, base=base, epochs=recipe.epochs, resume=bool(state),
            backend=keras.backend.backend(), device=machine["device"], precision=machine["precision"])
        splits = load_data(recipe, data_dir, log, run, seed, split_mode)
        model = start_model(recipe, base, log, run=run, resumed=bool(state), start_from=start_from,
                            base_weights=base_weights)
        history = json.loads((run / "history.json").read_text()) if state else {}
        fit_model, train_xy, val_xy = model_to_fit(model, recipe, splits, log, verbose)
        meta = {"recipe": recipe.id, "base": base, "seed": seed, "epochs": recipe.epochs}
        fit(model, fit_model, recipe, train_xy, val_xy, run=run, history=history,
            done=state["epochs_done"] if state else 0, meta=meta, seed=seed, log=log, verbose=verbose)
        if not to_onnx:
            accuracy = evaluate_keras(model, splits.test, log)
            atomic_write_json(run / "history.json", history)
            log(Event.DONE, test_accuracy=round(accuracy, 4), seconds=round(time.time() - started, 1), exported=False)
            return run
        diff = export(model, recipe, run, splits, log)
        accuracy, confusion, metrics = evaluate(run, splits.test, log)
        atomic_write_json(run / "history.json", history)
        card = Card(
            recipe=recipe.id, title=recipe.title, listings=recipe.listings, base=base, dataset=recipe.dataset,
            epochs=len(history.get("accuracy", [])), epochs_planned=planned, batch_size=recipe.batch_size,
            steps_per_epoch=recipe.steps_per_epoch(len(train_xy[0])), optimizer=recipe.optimizer,
            learning_rate=recipe.learning_rate, seed=seed, data_fingerprint=splits.fingerprint,
            images_skipped=len(splits.skipped), train_size=int(len(splits.train[0])),
            validation_size=int(len(splits.validation[0])), test_size=int(len(splits.test[1])),
            test_accuracy=round(accuracy, 4), confusion=confusion, book_test_accuracy=recipe.book_test_accuracy,
            seconds=round(time.time() - started, 1), hardware=machine, versions=versions(),
            backend=keras.backend.backend(),
            sha256=sha256_file(run / "model.onnx"), parity_max_abs_diff=diff,
            started_from=str(start_from) if start_from else None, metrics=metrics, data_check=splits.check,
            finished=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        card.write(run)
        log(Event.DONE, test_accuracy=card.test_accuracy, seconds=card.seconds)
        return run
    except BaseException as error:
        reason = failure(error)
        log(Event.ERROR, message=f"{type(error).__name__}: {error}", code=reason.code, params=reason.params)
        raise


def failure(error: BaseException) -> Reason:
    """Why a run failed, for the log's error event: a code the Train page translates (the known
    causes raise their own Reason; memory and Ctrl-C are recognised by type, on every backend:
    TensorFlow's ResourceExhaustedError, PyTorch's OutOfMemoryError, XLA's RESOURCE_EXHAUSTED)."""
    if isinstance(error, KeyboardInterrupt):
        return Reason(Code.CANCELLED, "cancelled")
    if isinstance(error, MemoryError) or type(error).__name__ in ("ResourceExhaustedError", "OutOfMemoryError") \
            or "RESOURCE_EXHAUSTED" in str(error):
        return Reason(Code.OUT_OF_MEMORY, f"out of memory ({type(error).__name__})")
    return reason_of(error)
