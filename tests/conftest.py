"""Shared fixtures: no network for any test, tiny generated data sets in the real layouts."""
from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = Path(__file__).resolve().parents[1]
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
