"""The chapter's data: MNIST and the book's cats-vs-dogs split (Listing 5.4), where
core.datasets says they are; class folders and their order come from the data set.

Where data is found: an explicit argument, then $CONVNET_DATA, then `../shared/data` beside
the checkout, then Keras' cache; downloading (MNIST only) comes last. TensorFlow is imported
only inside `dataset()`.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.data.images import BadImage, open_image, prepare_image
from core.datasets import CATS_DOGS, MNIST, Dataset
from core.paths import MANIFEST_NAME, SAMPLES_DIR, SHARED_DATA, TRAINED_DIR
from core.progress import progress
from core.reasons import Code, Reason

SPLITS = ("train", "validation", "test")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")


class DataFolderError(ValueError):
    """A data folder that is missing or laid out wrongly; the message says what to do (a
    core.reasons.Reason for the chapter's own data sets, so the pages can translate it)."""


def data_root(explicit: str | Path | None = None) -> Path | None:
    """The first data root that exists: argument, $CONVNET_DATA, ../shared/data."""
    for candidate in (explicit, os.environ.get("CONVNET_DATA"), SHARED_DATA):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def mnist_path(explicit: str | Path | None = None) -> Path | None:
    """A local mnist.npz: a file or root given, the data roots, then Keras' cache."""
    file = Path(MNIST.path).name
    candidates = []
    if explicit:
        explicit = Path(explicit)
        candidates += [explicit, explicit / file, explicit / MNIST.path]
    root = data_root()
    if root:
        candidates.append(root / MNIST.path)
    candidates.append(_keras_datasets() / file)
    return next((c for c in candidates if c.is_file()), None)


def _keras_datasets() -> Path:
    """Keras' download cache, where keras.datasets.mnist looks first."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def places(dataset: Dataset) -> list[Path]:
    """Where the app looks for a data set on this machine, in order: in the data root
    ($CONVNET_DATA, else ../shared/data), then, for MNIST, Keras' cache. Where to put it."""
    found = [(data_root() or SHARED_DATA) / dataset.path]
    if dataset.layout == "keras_npz":
        found.append(_keras_datasets() / Path(dataset.path).name)
    return found


def _mnist_missing(why: str = "") -> Reason:
    root, cache = places(MNIST)
    return Reason(Code.MNIST_MISSING, f"mnist.npz not found{why}: pass --data DIR (a folder with mnist/mnist.npz), "
                  f"set CONVNET_DATA, or put the file in {cache.parent}/", root=str(root), cache=str(cache))


def load_mnist(explicit: str | Path | None = None, download: bool = True):
    """((x_train, y_train), (x_test, y_test)) with keras.datasets.mnist's shapes and dtypes."""
    path = mnist_path(explicit)
    if path is None:
        if not download:
            raise DataFolderError(_mnist_missing())
        import keras  # Listing 5.3's loader, which downloads (needs the internet)

        try:
            return keras.datasets.mnist.load_data()
        except Exception as error:  # offline: Keras' "URL fetch failure", after its retries
            raise DataFolderError(_mnist_missing(f" and its download failed ({error})")) from error
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def cats_dogs_root(explicit: str | Path | None = None) -> Path:
    """The book-layout folder {train,validation,test}/{cats,dogs}, checked; or a clear error
    that names what is missing."""
    classes = CATS_DOGS.classes
    candidates = [Path(explicit)] if explicit else []
    if explicit:
        candidates.append(Path(explicit) / CATS_DOGS.path)
    root = data_root()
    if root and not explicit:
        candidates.append(root / CATS_DOGS.path)
    layout = None  # (folder, what it lacks) of the first candidate that exists
    for candidate in candidates:
        if not candidate.is_dir():
            continue
        missing = [f"{s}/{c}" for s in SPLITS for c in classes if not (candidate / s / c).is_dir()]
        if missing:
            layout = layout or (candidate, ", ".join(missing))
            continue
        for split in SPLITS:
            for cls in classes:
                if not _has_images(candidate / split / cls):
                    folder = candidate / split / cls
                    raise DataFolderError(Reason(
                        Code.CLASS_EMPTY, f"{folder} has no images ({', '.join(IMAGE_SUFFIXES)}): put the "
                        f"{cls} there, or rebuild the folder with `python -m core prepare-data`", folder=str(folder)))
        return candidate
    expected = (f"expected train/, validation/ and test/, each with {' and '.join(c + '/' for c in classes)} "
                "inside. Build one from Kaggle's images with `python -m core prepare-data SOURCE --out DIR`.")
    if layout:
        folder, missing = layout
        raise DataFolderError(Reason(Code.CATS_DOGS_LAYOUT, f"{folder} lacks {missing}: {expected}",
                                     folder=str(folder), missing=missing))
    where = Path(explicit) if explicit else places(CATS_DOGS)[0]
    shown = explicit or f"../shared/data/{CATS_DOGS.path} or $CONVNET_DATA"
    raise DataFolderError(Reason(Code.CATS_DOGS_MISSING, f"no cats-vs-dogs folder at {shown}: {expected}",
                                 where=str(where)))


def locate(dataset: Dataset, explicit: str | Path | None = None) -> Path:
    """Where a data set is on this machine, checked but neither loaded nor downloaded, so the
    Train page knows before it starts a run; a DataFolderError (its Reason) when it is not here."""
    if dataset.layout == "keras_npz":
        path = mnist_path(explicit)
        if path is None:
            raise DataFolderError(_mnist_missing())
        return path
    return cats_dogs_root(explicit)


def _has_images(folder: Path) -> bool:
    """Whether a folder holds an image, from its first one: pages check the data folder on every
    run, and listing and sorting its thousands of files took a quarter of a second."""
    with os.scandir(folder) as entries:
        return any(os.path.splitext(entry.name)[1].lower() in IMAGE_SUFFIXES for entry in entries)


def _images(folder: Path):
    return (p for p in sorted(folder.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES)


def split_files(root: Path, split: str, classes: tuple[str, ...]) -> tuple[list[Path], np.ndarray]:
    """Paths and labels (label i: the folder classes[i]) of one split."""
    paths, labels = [], []
    for label, cls in enumerate(classes):
        found = list(_images(root / split / cls))
        paths += found
        labels += [label] * len(found)
    return paths, np.array(labels, dtype=np.int64)


@dataclass
class Images:
    x: np.ndarray  # N x H x W x 3 uint8
    y: np.ndarray  # N labels
    paths: list[Path]
    skipped: list[tuple[Path, str]]  # unreadable files and why


def load_split(root: Path, split: str, size: tuple[int, int], classes: tuple[str, ...],
               label: str | None = None) -> Images:
    """Decode one split in parallel threads with the serving path's own preprocessing.
    Unreadable images are skipped and counted, never fatal, unless a class has none left."""
    paths, labels = split_files(root, split, classes)
    images = decode(paths, labels, size, label or f"decode {split}")
    for label_id, cls in enumerate(classes):
        if not np.any(images.y == label_id):
            why = next((f"e.g. {p.name}: {w}" for p, w in images.skipped if p.parent.name == cls), "no image files")
            folder = root / split / cls
            raise DataFolderError(Reason(
                Code.CLASS_UNREADABLE, f"{folder} has no readable images ({why}): replace them, or rebuild the "
                "folder with `python -m core prepare-data`", folder=str(folder)))
    return images


def decode(paths: list[Path], labels: np.ndarray, size: tuple[int, int], label: str) -> Images:
    """Decode images in parallel threads with the serving path's own preprocessing; unreadable
    ones are skipped and reported, never fatal."""
    def one(path: Path):
        try:
            return prepare_image(open_image(path), size).astype(np.uint8), None
        except (BadImage, OSError) as error:
            return None, str(error)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(progress(pool.map(one, paths), total=len(paths), label=label))
    keep = [i for i, (array, _) in enumerate(results) if array is not None]
    skipped = [(paths[i], results[i][1]) for i in range(len(paths)) if results[i][0] is None]
    x = np.stack([results[i][0] for i in keep]) if keep else np.zeros((0, *size, 3), np.uint8)
    return Images(x, np.asarray(labels)[keep], [paths[i] for i in keep], skipped)


def fingerprint(paths) -> str:
    """A short id of the data a run saw: file names and sizes (cheap, order-independent)."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(f"{path.parent.name}/{path.name}:{path.stat().st_size}\n".encode())
    return h.hexdigest()[:16]


def file_fingerprint(path: Path) -> str:
    h = hashlib.sha256(Path(path).read_bytes())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Sample:
    """A sample photo the repository ships: `label` is its class folder's name."""
    path: Path
    label: str
    credit: str


SAMPLE_INDEX = "index.json"  # per data set: [{"file", "class", "credit", "source"}], in the order shown
CCSN_CREDIT = ("CCSN: Zhang, Liu, Zhang and Song, \"CloudNet\", Geophysical Research Letters 45 (2018); "
               "data doi:10.7910/DVN/CADDPD, Creative Commons licence, for research and teaching")


def sample_photos(dataset: str = CATS_DOGS.id, root: Path = SAMPLES_DIR) -> list[Sample]:
    """The few photos shipped for a data set in samples/<dataset>/ (so a fresh clone has them),
    in their index's order; [] for a data set without samples, which then simply shows none."""
    folder = Path(root) / dataset
    try:
        entries = json.loads((folder / SAMPLE_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Sample(folder / entry["file"], entry["class"], entry["credit"]) for entry in entries
            if (folder / entry["file"]).is_file()]


CCSN_MANIFEST = TRAINED_DIR / "ccsn-feature_extraction" / MANIFEST_NAME  # the shipped cloud models' split


def ccsn_test_photos(manifest: Path = CCSN_MANIFEST) -> dict[str, list[str]]:
    """Genus -> its photos in the shipped cloud models' test split (relative to the CCSN folder),
    in the manifest's order: a cloud sample must be a photo no shipped model trained on."""
    return json.loads(Path(manifest).read_text(encoding="utf-8"))["files"]["test"]


def write_samples(data: str | Path | None = None, out: Path = SAMPLES_DIR, side: int = 200) -> dict[str, int]:
    """Regenerate samples/ from the data sets' own images (`python -m core samples`): three
    cats and three dogs and one of each digit from the test splits, which no model trained on,
    and one photo of each cloud genus from the shipped cloud models' test split; small JPEGs
    (PNG for the digits), each indexed with its credit and its source in the data set.
    Returns how many samples each data set got (a data set not found here is left as it is)."""
    root = data_root(data)
    picks: dict[str, list[tuple[str, Image.Image, str, str]]] = {}  # dataset -> (class, image, credit, source)
    if root and (root / CATS_DOGS.path / "test").is_dir():
        folder = root / CATS_DOGS.path
        picks[CATS_DOGS.id] = [(cls, open_image(path), CATS_DOGS.credit, path.relative_to(folder).as_posix())
                               for cls in CATS_DOGS.classes for path in sorted((folder / "test" / cls).glob("*.jpg"))[:3]]
    if mnist_path(data):
        with np.load(mnist_path(data)) as f:
            x, y = f["x_test"], f["y_test"]
        first = {digit: int(np.argmax(y == digit)) for digit in range(10)}
        picks[MNIST.id] = [(str(digit), Image.fromarray(x[i], "L"), MNIST.credit, f"x_test[{i}]")
                           for digit, i in first.items()]
    if root and (root / "ccsn").is_dir():
        test = ccsn_test_photos()
        picks["ccsn"] = [(genus, open_image(root / "ccsn" / test[genus][0]), CCSN_CREDIT, test[genus][0])
                         for genus in sorted(test) if test[genus] and (root / "ccsn" / test[genus][0]).is_file()]
    for dataset, samples in picks.items():
        folder = Path(out) / dataset
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for number, (label, image, credit, source) in enumerate(samples, 1):
            name = f"{label}-{number}." + ("png" if image.mode == "L" else "jpg")
            image.thumbnail((side, side))
            image.save(folder / name, **({} if image.mode == "L" else {"quality": 80, "optimize": True}))
            entries.append({"file": name, "class": label, "credit": credit, "source": source})
        (folder / SAMPLE_INDEX).write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {dataset: len(samples) for dataset, samples in picks.items()}
