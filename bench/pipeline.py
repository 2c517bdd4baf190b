"""4. Training input pipeline: images per second of the augmented cats/dogs input that feeds
scratch_augmented (`core.data.load_split` + `core.data.dataset(..., augment=core.augment.pipeline(
BOOK_AUGMENTATION))`) against the book's `ImageDataGenerator(...).flow_from_directory(...)` on the
same images and batch size. Our decode happens once, so both the first epoch (decode included)
and the steady state are reported."""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import tempfile
import time
from pathlib import Path

from bench import median, paired_ratio, table, target

TITLE = "Training input: core.data + Keras 3 augmentation layers vs the book's ImageDataGenerator"
SPEEDUP_TARGET = 3.0
BATCH = 32  # scratch_augmented's batch size (L5.14)


def missing() -> str | None:
    for module in ("tf_keras", "scipy"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -r bench/requirements.txt): the book's ImageDataGenerator needs it"
    from core.data import DataFolderError, cats_dogs_root

    try:
        cats_dogs_root()
    except DataFolderError:
        return "the cats/dogs data is not here: see README, Where data is found"
    return None


def _subset(root: Path, per_class: int, work: Path) -> Path:
    """A book-layout train/{cats,dogs} of links to the first `per_class` photos of each class."""
    from core.data import CLASSES, split_files

    paths, labels = split_files(root, "train")
    for label, cls in enumerate(CLASSES):
        folder = work / "train" / cls
        folder.mkdir(parents=True)
        for path in [p for p, y in zip(paths, labels, strict=True) if y == label][:per_class]:
            os.symlink(path, folder / path.name)
    return work


def _book_epoch(book) -> int:
    """One epoch of the book's generator (then reshuffled, as fit_generator does)."""
    count = sum(len(book[i][0]) for i in range(len(book)))
    book.on_epoch_end()
    return count


def run(quick: bool) -> dict:
    from tf_keras.preprocessing.image import ImageDataGenerator

    from core import data
    from core.augment import pipeline
    from core.recipes import BOOK_AUGMENTATION, get

    size = get("scratch_augmented").input_shape[:2]
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as work:
        root = _subset(data.cats_dogs_root(), 32, Path(work)) if quick else data.cats_dogs_root()
        paths, _ = data.split_files(root, "train")
        for path in paths:  # both read from the page cache: the disk is not what is compared
            path.read_bytes()

        start = time.perf_counter()
        images = data.load_split(root, "train", size, label="decode train")
        decoded = time.perf_counter() - start
        ours = data.dataset(images.x, images.y, BATCH, shuffle=True, augment=pipeline(BOOK_AUGMENTATION, seed=0))
        count = sum(len(x) for x, _ in ours)
        ours_first = time.perf_counter() - start

        book_generator = ImageDataGenerator(rescale=1.0 / 255, **dataclasses.asdict(BOOK_AUGMENTATION))
        start = time.perf_counter()
        book = book_generator.flow_from_directory(str(root / "train"), target_size=size, batch_size=BATCH,
                                                  class_mode="binary", seed=0)
        book_count = _book_epoch(book)
        book_first = time.perf_counter() - start

        rounds = 2 if quick else 5
        epochs = {"ours": lambda: sum(len(x) for x, _ in ours), "book": lambda: _book_epoch(book)}
        rates: dict[str, list[float]] = {"ours": [], "book": []}
        for round_ in range(rounds):  # whole epochs in turns, the first one alternating
            for name in (("ours", "book") if round_ % 2 == 0 else ("book", "ours")):
                start = time.perf_counter()
                images_done = epochs[name]()
                rates[name].append(images_done / (time.perf_counter() - start))

    first = (count / ours_first, book_count / book_first)
    steady = (median(rates["ours"]), median(rates["book"]), paired_ratio(rates["ours"], rates["book"]))
    rows = [
        ["first epoch, decode included", count, ours_first, first[0], book_first, first[1], first[0] / first[1]],
        ["steady state (later epochs)", count, None, steady[0], None, steady[1], steady[2]],
    ]
    columns = ["what", "images", "ours s", "ours images/s", "book s", "book images/s", "speed-up"]
    return {
        "tables": [table(f"Augmented batches of {BATCH} at {size[0]}×{size[1]}", columns, rows)],
        "targets": [
            target("steady-state images/s vs the book's generator", f"≥ {SPEEDUP_TARGET:g}×",
                   f"{steady[2]:.2f}× ({steady[0]:.0f} vs {steady[1]:.0f} images/s)", steady[2] >= SPEEDUP_TARGET),
            target("first epoch, our one-off decode included", f"≥ {SPEEDUP_TARGET:g}×",
                   f"{first[0] / first[1]:.2f}× ({count} images in {ours_first:.1f} s vs {book_first:.1f} s)",
                   first[0] / first[1] >= SPEEDUP_TARGET),
        ],
        "notes": [
            f"Ours: `load_split` decodes and resizes every photo once ({decoded:.1f} s of the first epoch, in threads), "
            "then `dataset` shuffles, batches and augments in memory (tf.data, parallel map, prefetch). The book's "
            "generator decodes, resizes (nearest-neighbour, its default; ours is bilinear) and augments every file "
            "again in every epoch (one thread, one scipy affine transform per image, rescale 1/255); ours applies "
            "five Keras layers in turn, four of them a projective transform each.",
            "Same images, batch size and augmentation settings (`BOOK_AUGMENTATION`, the book's units, passed "
            "straight to ImageDataGenerator); files read once beforehand so both come from the page cache.",
            "The first epochs are timed once each, ours first (not interleaved: there is only one first epoch).",
            f"Steady state: whole epochs of each in turns ({rounds} rounds), medians; the speed-up is the median "
            "of the per-round ratios. Each of our epochs starts a "
            "fresh tf.data iterator, as Keras' fit does, so no batch prefetched during the book's turn is counted.",
        ],
        "data": {"decode_s": decoded, "first_epoch": {"ours_s": ours_first, "book_s": book_first, "images": count},
                 "steady_images_per_s": rates},
    }
