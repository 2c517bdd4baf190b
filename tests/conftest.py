"""Shared fixtures and the test tiers, in one place: no network for any test, tiny generated data
sets in the real layouts, tiny models trained once per session, and the `slow`/`browser` marks.

Tiers: `pytest` runs everything (CI). `pytest -m "not slow"` is the fast tier to run after every
change: `browser` tests are `slow` too, and so is every test that uses a fixture in
TRAINING_FIXTURES (the hook below marks them; nobody has to remember). Tests that train, export,
start a server or otherwise take more than ~2 s in their own body carry @pytest.mark.slow."""
from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# a cache dir of the test session's own (servers started by tests inherit it): no record of checksums
# from the user's app (core.artifacts.files) is trusted or written by a test
os.environ["CONVNET_CACHE"] = tempfile.mkdtemp(prefix="convnet-cache-")
TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED_DATA = REPO.parent / "shared" / "data"

_real_connect = socket.socket.connect


def _local_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    try:
        if isinstance(host, str) and host not in ("localhost",) and not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"tests may not reach the network ({host})")
    except ValueError:  # a host name other than localhost, or a unix socket path
        if isinstance(address, tuple):
            raise OSError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection beyond loopback fails the test that tried it."""
    monkeypatch.setattr(socket.socket, "connect", _local_only)


def _blob_image(rng, size, dog: bool) -> Image.Image:
    """A generated photo-like image: cats bluish discs, dogs reddish squares (learnable)."""
    h = w = size
    yy, xx = np.mgrid[0:h, 0:w]
    base = rng.uniform(60, 120, (1, 1, 3)) + rng.normal(0, 12, (h, w, 3))
    cy, cx, r = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w, rng.uniform(0.15, 0.3) * h
    mask = (np.maximum(abs(yy - cy), abs(xx - cx)) < r) if dog else ((yy - cy) ** 2 + (xx - cx) ** 2 < r * r)
    base[mask] = [200, 80, 60] if dog else [60, 90, 210]
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def make_cats_dogs(root: Path, per_split=(6, 4, 4), size=64, seed=0) -> Path:
    """A folder in the book's layout {train,validation,test}/{cats,dogs} of generated JPEGs."""
    rng = np.random.default_rng(seed)
    for split, count in zip(("train", "validation", "test"), per_split):
        for cls in ("cats", "dogs"):
            folder = root / split / cls
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                _blob_image(rng, size, cls == "dogs").save(folder / f"{cls[:-1]}.{i}.jpg", quality=90)
    return root


@pytest.fixture(scope="session")
def tiny_cats_dogs(tmp_path_factory) -> Path:
    return make_cats_dogs(tmp_path_factory.mktemp("cats_and_dogs_small"))


@pytest.fixture(scope="session")
def tiny_mnist(tmp_path_factory) -> Path:
    """A small mnist.npz with keras.datasets.mnist's keys, shapes per row and dtypes."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("mnist") / "mnist.npz"
    arrays = {}
    for split, n in (("train", 5_064), ("test", 64)):
        arrays[f"x_{split}"] = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        arrays[f"y_{split}"] = rng.integers(0, 10, n).astype(np.uint8)
    np.savez(path, **arrays)
    return path


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "cats_and_dogs_small").is_dir():
        pytest.skip(f"the real data is not here ({SHARED_DATA}): a fresh clone has none")
    return SHARED_DATA


# ---- tiers ----------------------------------------------------------------------------------

TRAINING_FIXTURES = {  # fixtures that train (and export) a model: any test using one is slow
    "tiny_mnist_run", "tiny_scratch_run", "tiny_runs",  # below
    "trained_runs",  # test_core: one epoch of every recipe
}


@pytest.hookimpl(tryfirst=True)  # before -m selects on the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(TESTS / "e2e"):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") or TRAINING_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


# ---- tiny trained models ------------------------------------------------------------------
# One epoch on the generated data above, through core.training.train, trained at most once per
# session whichever test files ask (and only if one does).

BROKEN_TRAINING_FILES = ("train/cats/broken.jpg", "train/dogs/notes.jpg")  # cut short; text


def _train_tiny(recipe_id: str, data: Path, out: Path) -> Path:
    from core.training.train import train

    return train(recipe_id, epochs=1, data_dir=data, out=out, verbose=0)


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tiny_models")


@pytest.fixture(scope="session")
def tiny_mnist_run(tiny_models_dir, tiny_mnist) -> Path:
    """The run dir of the MNIST recipe trained one epoch on tiny_mnist."""
    return _train_tiny("mnist", tiny_mnist, tiny_models_dir / "mnist")


@pytest.fixture(scope="session")
def broken_training_files() -> tuple[str, ...]:
    """The files tiny_scratch_run's data holds that no decoder can read (paths under the data root)."""
    return BROKEN_TRAINING_FILES


@pytest.fixture(scope="session")
def tiny_scratch_run(tiny_models_dir, tiny_cats_dogs, broken_training_files) -> Path:
    """The run dir of the from-scratch recipe trained one epoch on a copy of tiny_cats_dogs that
    also holds two unreadable files in train/ (they must be skipped, not fatal)."""
    data = tiny_models_dir / "cats_dogs_with_broken_files"
    shutil.copytree(tiny_cats_dogs, data)
    good = (data / "train/cats/cat.0.jpg").read_bytes()
    truncated, text = broken_training_files
    (data / truncated).write_bytes(good[: len(good) // 3])
    (data / text).write_text("not a photo\n")
    return _train_tiny("scratch", data, tiny_models_dir / "scratch")


@pytest.fixture(scope="session")
def tiny_runs(tiny_mnist_run, tiny_scratch_run) -> dict[str, Path]:
    return {"mnist": tiny_mnist_run, "scratch": tiny_scratch_run}
