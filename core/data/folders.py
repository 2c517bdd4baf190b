"""The chapter's data: MNIST and the book's cats-vs-dogs split (Listing 5.4), where
core.datasets says they are; class folders and their order come from the data set.

Where data is found: an explicit argument, then $CONVNET_DATA, then `../shared/data` beside
the checkout, then Keras' cache; downloading (MNIST only) comes last. TensorFlow is imported
only inside `dataset()`.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.data.images import BadImage, open_image, prepare_image
from core.datasets import CATS_DOGS, MNIST
from core.paths import SHARED_DATA
from core.progress import progress

SPLITS = ("train", "validation", "test")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")


class DataFolderError(ValueError):
    """A data folder that is missing or laid out wrongly; the message says what to do."""


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
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    candidates.append(keras_home / "datasets" / file)
    return next((c for c in candidates if c.is_file()), None)


def load_mnist(explicit: str | Path | None = None, download: bool = True):
    """((x_train, y_train), (x_test, y_test)) with keras.datasets.mnist's shapes and dtypes."""
    path = mnist_path(explicit)
    if path is None:
        if not download:
            raise DataFolderError(
                "mnist.npz not found: pass --data DIR (a folder with mnist/mnist.npz), set "
                "CONVNET_DATA, or put the file in ~/.keras/datasets/"
            )
        import keras  # Listing 5.3's loader, which downloads (needs the internet)

        return keras.datasets.mnist.load_data()
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
    problem = None
    for candidate in candidates:
        if not candidate.is_dir():
            continue
        missing = [f"{s}/{c}" for s in SPLITS for c in classes if not (candidate / s / c).is_dir()]
        if missing:
            problem = problem or f"{candidate} lacks {', '.join(missing)}"
            continue
        for split in SPLITS:
            for cls in classes:
                if not any(_images(candidate / split / cls)):
                    raise DataFolderError(
                        f"{candidate / split / cls} has no images ({', '.join(IMAGE_SUFFIXES)}): put the "
                        f"{cls} there, or rebuild the folder with `python -m core prepare-data`")
        return candidate
    where = explicit or f"../shared/data/{CATS_DOGS.path} or $CONVNET_DATA"
    raise DataFolderError(
        f"{problem or f'no cats-vs-dogs folder at {where}'}: expected train/, validation/ and test/, "
        f"each with {' and '.join(c + '/' for c in classes)} inside. Build one from Kaggle's images with "
        "`python -m core prepare-data SOURCE --out DIR`."
    )


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
            raise DataFolderError(
                f"{root / split / cls} has no readable images ({why}): replace them, or rebuild the "
                "folder with `python -m core prepare-data`")
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


def sample_photos(per_class: int = 4) -> list:
    """A few training photos of each class from the local data folder (none in the repo:
    the book's data is never committed); [] when the folder is absent."""
    try:
        root = cats_dogs_root()
    except DataFolderError:
        return []
    photos = []
    for cls in CATS_DOGS.classes:
        folder = root / "train" / cls
        photos += sorted(folder.iterdir())[:per_class]
    return photos
