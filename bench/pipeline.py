"""4. Training input pipeline: images per second of the augmented cats/dogs input that feeds
scratch_augmented (`core.data.load_split` + `core.data.dataset(..., augmentation=BOOK_AUGMENTATION)`,
one matrix per image) against the book's `ImageDataGenerator(...).flow_from_directory(...)` on the
same images and batch size, and against the same tf.data pipeline running the Keras 3 layers the
augmentation page shows (`core.augment.keras3_code`). Our decode happens once, so both the first
pass (decode included) and the steady state are reported."""
from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
import tempfile
import time
from pathlib import Path

from bench import median, paired_ratio, table, target

TITLE = "Training input: core.data + one-matrix augmentation vs the book's ImageDataGenerator and Keras 3 layers"
SPEEDUP_TARGET = 3.0
BATCH = 32  # scratch_augmented's batch size (L5.14)


def missing() -> str | None:
    for module in ("tf_keras", "scipy"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -r bench/requirements.txt): the book's ImageDataGenerator needs it"
    from core.data.folders import DataFolderError, cats_dogs_root

    try:
        cats_dogs_root()
    except DataFolderError:
        return "the cats/dogs data is not here: see README, Where data is found"
    return None


def _subset(root: Path, per_class: int, work: Path) -> Path:
    """A book-layout train/{cats,dogs} of links to the first `per_class` photos of each class."""
    from core.data.folders import split_files
    from core.datasets import CATS_DOGS

    paths, labels = split_files(root, "train", CATS_DOGS.classes)
    for label, cls in enumerate(CATS_DOGS.classes):
        folder = work / "train" / cls
        folder.mkdir(parents=True)
        for path in [p for p, y in zip(paths, labels, strict=True) if y == label][:per_class]:
            os.symlink(path, folder / path.name)
    return work


UNTIMED = 8  # batches taken untimed at the start of each streaming turn, while its threads start


def _keras_layers(images, spec):
    """The same streaming tf.data pipeline with the Keras 3 layers of `keras3_code` instead of
    one matrix."""
    import keras
    import tensorflow as tf
    from keras import layers

    from core.data import augment, pipeline

    scope = {"keras": keras, "layers": layers}
    exec(augment.keras3_code(spec), scope)  # the very code the augmentation page shows
    unaugmented = pipeline.dataset(images.x, images.y, BATCH, shuffle=True, repeat=True)
    return unaugmented.map(lambda x, y: (scope["augmentation"](x, training=True), y),
                           num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def _take(batches, count: int) -> int:
    return sum(len(next(batches)[0]) for _ in range(count))


def _turn(stream, steps: int) -> float:
    """Images/s of one pass from a stream, after UNTIMED batches that start its threads. `stream`
    makes a new iterator each turn (a callable): a long-lived one would fill its prefetch buffer
    during the other candidates' turns and count those batches as free."""
    batches = stream()
    _take(batches, UNTIMED)
    start = time.perf_counter()
    return _take(batches, steps) / (time.perf_counter() - start)


def _fresh_epoch(dataset) -> float:
    """Images/s of one pass through a new iterator (what Keras' fit makes each epoch of a finite
    dataset)."""
    start = time.perf_counter()
    return sum(len(x) for x, _ in dataset) / (time.perf_counter() - start)


def run(quick: bool) -> dict:
    from tf_keras.preprocessing.image import ImageDataGenerator

    from core.data import folders, pipeline
    from core.recipes import BOOK_AUGMENTATION, get

    data = get("scratch_augmented").data
    size = data.image_size
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as work:
        root = _subset(folders.cats_dogs_root(), 32, Path(work)) if quick else folders.cats_dogs_root()
        paths, _ = folders.split_files(root, "train", data.classes)
        for path in paths:  # all read from the page cache: the disk is not what is compared
            path.read_bytes()
        steps = math.ceil(len(paths) / BATCH)  # one pass

        start = time.perf_counter()
        images = folders.load_split(root, "train", size, data.classes, label="decode train")
        decoded = time.perf_counter() - start
        count = _take(iter(pipeline.dataset(images.x, images.y, BATCH, shuffle=True, augmentation=BOOK_AUGMENTATION)),
                      steps)
        ours_first = time.perf_counter() - start

        book_generator = ImageDataGenerator(rescale=1.0 / 255, **dataclasses.asdict(BOOK_AUGMENTATION))
        start = time.perf_counter()
        book = book_generator.flow_from_directory(str(root / "train"), target_size=size, batch_size=BATCH,
                                                  class_mode="binary", seed=0)
        book_count = _take(book, steps)
        book_first = time.perf_counter() - start

        streaming = pipeline.dataset(images.x, images.y, BATCH, shuffle=True, augmentation=BOOK_AUGMENTATION,
                                 repeat=True)
        fresh = pipeline.dataset(images.x, images.y, BATCH, shuffle=True, augmentation=BOOK_AUGMENTATION)
        keras_layers = _keras_layers(images, BOOK_AUGMENTATION)
        _take(iter(keras_layers), steps)  # its first pass traces the layers
        _fresh_epoch(fresh)
        turns = {"ours": lambda: _turn(lambda: iter(streaming), steps),
                 "ours, new iterator per epoch": lambda: _fresh_epoch(fresh),
                 "keras_layers": lambda: _turn(lambda: iter(keras_layers), steps),
                 "book": lambda: _turn(lambda: book, steps)}
        rounds = 2 if quick else 7
        rates: dict[str, list[float]] = {name: [] for name in turns}
        order = list(turns)
        for round_ in range(rounds):  # in turns, the order rotating each round
            shift = round_ % len(order)
            for name in order[shift:] + order[:shift]:
                rates[name].append(turns[name]())

    first = (count / ours_first, book_count / book_first)
    steady = {name: median(values) for name, values in rates.items()}
    vs_book = {name: paired_ratio(rates[name], rates["book"]) for name in rates}
    vs_layers = paired_ratio(rates["ours"], rates["keras_layers"])
    rows = [
        ["ours, first pass (decode included)", count, ours_first, first[0], first[0] / first[1]],
        ["ours, streaming (as training runs it)", count, None, steady["ours"], vs_book["ours"]],
        ["ours, a new iterator per epoch", count, None, steady["ours, new iterator per epoch"],
         vs_book["ours, new iterator per epoch"]],
        ["Keras 3 layers (the page's code), streaming", count, None, steady["keras_layers"], vs_book["keras_layers"]],
        ["book's generator, first pass", book_count, book_first, first[1], 1.0],
        ["book's generator, streaming", book_count, None, steady["book"], 1.0],
    ]
    columns = ["pipeline", "images", "pass s", "images/s", "× the book's"]
    return {
        "tables": [table(f"Augmented batches of {BATCH} at {size[0]}×{size[1]}", columns, rows)],
        "targets": [
            target("steady-state images/s vs the book's generator", f"≥ {SPEEDUP_TARGET:g}×",
                   f"{vs_book['ours']:.2f}× ({steady['ours']:.0f} vs {steady['book']:.0f} images/s; "
                   f"{vs_layers:.1f}× the Keras 3 layers)", vs_book["ours"] >= SPEEDUP_TARGET),
            target("first pass, our one-off decode included", f"≥ {SPEEDUP_TARGET:g}×",
                   f"{first[0] / first[1]:.2f}× ({count} images in {ours_first:.1f} s vs {book_first:.1f} s)",
                   first[0] / first[1] >= SPEEDUP_TARGET),
        ],
        "notes": [
            f"Ours: `load_split` decodes and resizes every photo once ({decoded:.1f} s of the first pass, in threads), "
            "then `dataset` shuffles, batches and augments in memory (tf.data, parallel map, prefetch): each image's "
            "rotation, shift, shear, zoom and flip are one matrix, one bilinear resampling per batch. The book's "
            "generator decodes, resizes (nearest-neighbour, its default; ours is bilinear) and augments every file "
            "again in every pass (one thread, one scipy affine transform per image, rescale 1/255). The Keras 3 "
            "layers resample once per layer (rotation, translation, shear, zoom), on the same decoded arrays.",
            "Same images, batch size and augmentation settings (`BOOK_AUGMENTATION`, the book's units, passed "
            "straight to ImageDataGenerator); files read once beforehand so all come from the page cache.",
            "Streaming: batches drawn past the end of a pass, as training draws them (`repeat` + `steps_per_epoch`) "
            f"and as the book's generator runs; each turn starts a new iterator of ours, takes {UNTIMED} batches "
            f"untimed while its threads start, then times one pass ({steps} batches) (a long-lived iterator would "
            "prefetch during the other candidates' turns). The book's generator is one iterator throughout (it "
            "prefetches nothing). The new-iterator row times whole passes through a fresh, finite iterator, start-up "
            "included, as Keras' fit makes one per epoch of a finite dataset.",
            "The first passes are timed once each, ours first (not interleaved: there is only one first pass).",
            f"{rounds} rounds, the order rotating; medians; speed-ups are medians of the per-round ratios. "
            "Per round, images/s: " + "; ".join(f"{name} " + ", ".join(f"{v:.0f}" for v in values)
                                               for name, values in rates.items()) + ".",
        ],
        "data": {"decode_s": decoded, "first_pass": {"ours_s": ours_first, "book_s": book_first, "images": count},
                 "images_per_s": rates},
    }
