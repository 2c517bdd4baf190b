"""The data check before any training: what a labelled folder holds and what is wrong with it.

Images per class, sizes and modes, unreadable files, and copies of one photo: byte-identical
ones (sha256 of the file) and re-encoded or resized ones (perceptual hashes from imagehash, a
well-kept library for exactly this; a pHash differs by a few bits between copies of one photo
and by about half its 64 bits between different photos). A photo filed under two classes is a
label conflict. `python -m core check-data PATH` prints the report; the split builder reads its
groups, so copies never land on both sides of a split.
"""
from __future__ import annotations

import hashlib
import io
import os
import time
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.data import images  # noqa: F401  (sets Pillow's decompression-bomb limit)
from core.data.labelled import Scan, scan
from core.progress import progress

NEAR_BITS = 8  # pHash bits at or below which two photos are copies: on CCSN, every pair checked by eye
# at 8 or less was one photo (re-encoded, shifted, re-cropped); at 10, one pair in the few checked was not
HASH_SIDE = 256  # photos are decoded at about this size for hashing (JPEG draft mode): fast, and enough


@dataclass
class Photo:
    path: Path
    label: str
    sha256: str
    size: tuple[int, int] | None = None  # (width, height); None when unreadable
    mode: str | None = None
    phash: int | None = None
    problem: str | None = None  # why it cannot be read


@dataclass
class Report:
    root: Path
    classes: tuple[str, ...]
    counts: dict[str, int]  # class -> images found
    sizes: Counter  # "WxH" -> images
    modes: Counter  # Pillow mode -> images
    unreadable: list[tuple[Path, str]]
    ignored: list[Path]  # files that are not images
    groups: list[list[Photo]]  # copies of one photo (two or more), exact or near
    seconds: float
    photos: list[Photo] = field(default_factory=list)

    @property
    def conflicts(self) -> list[list[Photo]]:
        """Copies filed under more than one class: label conflicts."""
        return [g for g in self.groups if len({p.label for p in g}) > 1]

    @property
    def exact(self) -> list[list[Photo]]:
        return [g for g in self.groups if len({p.sha256 for p in g}) == 1]

    @property
    def imbalance(self) -> float:
        """The largest class over the smallest (1.0: balanced)."""
        return max(self.counts.values()) / max(1, min(self.counts.values()))

    def to_json(self) -> dict:
        def group(g):
            return {"labels": sorted({p.label for p in g}), "exact": len({p.sha256 for p in g}) == 1,
                    "files": [str(p.path.relative_to(self.root)) for p in g]}

        return {
            "root": str(self.root), "classes": list(self.classes), "counts": self.counts,
            "images": sum(self.counts.values()), "imbalance": round(self.imbalance, 2),
            "sizes": dict(self.sizes.most_common()), "modes": dict(self.modes.most_common()),
            "unreadable": [{"file": str(p.relative_to(self.root)), "why": why} for p, why in self.unreadable],
            "ignored_files": len(self.ignored),
            "duplicate_groups": len(self.groups), "exact_groups": len(self.exact),
            "conflicts": [group(g) for g in self.conflicts],
            "groups": [group(g) for g in self.groups],
            "seconds": round(self.seconds, 1),
        }


def _look(path: Path, label: str) -> Photo:
    """Hash the file's bytes, then decode it small (JPEG draft mode) and hash what it shows."""
    import imagehash

    data = path.read_bytes()
    photo = Photo(path, label, hashlib.sha256(data).hexdigest())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                photo.size, photo.mode = image.size, image.mode
                image.draft("L", (HASH_SIDE, HASH_SIDE))
                photo.phash = int(str(imagehash.phash(image.convert("L"))), 16)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        photo.problem = f"{type(error).__name__}: {error}"
    return photo


def _groups(photos: list[Photo]) -> list[list[Photo]]:
    """Union of exact (same sha256) and near (pHash within NEAR_BITS) copies, two or more each."""
    parent = list(range(len(photos)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i, j):
        parent[root(i)] = root(j)

    first: dict[str, int] = {}
    for i, photo in enumerate(photos):
        join(i, first.setdefault(photo.sha256, i))
    hashed = [i for i, p in enumerate(photos) if p.phash is not None]
    if hashed:
        bits = np.unpackbits(np.array([photos[i].phash for i in hashed], dtype=">u8").view(np.uint8)
                             .reshape(len(hashed), 8), axis=1).astype(np.float32)
        distance = bits @ (1 - bits).T + (1 - bits) @ bits.T  # Hamming distance, all pairs at once
        for a, b in zip(*np.nonzero(np.triu(distance <= NEAR_BITS, k=1))):
            join(hashed[a], hashed[b])
    members: dict[int, list[Photo]] = {}
    for i, photo in enumerate(photos):
        members.setdefault(root(i), []).append(photo)
    return [sorted(g, key=lambda p: str(p.path)) for g in members.values() if len(g) > 1]


def check(root: str | Path, found: Scan | None = None) -> Report:
    """The data check of a labelled folder (DataFolderError for one that is not)."""
    started = time.perf_counter()
    found = found or scan(root)
    jobs = [(path, label) for label in found.classes for path in found.files[label]]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        photos = list(progress(pool.map(lambda job: _look(*job), jobs), total=len(jobs), label="check"))
    readable = [p for p in photos if p.problem is None]
    return Report(
        root=found.root, classes=found.classes, counts={c: len(found.files[c]) for c in found.classes},
        sizes=Counter(f"{p.size[0]}x{p.size[1]}" for p in readable), modes=Counter(p.mode for p in readable),
        unreadable=[(p.path, p.problem) for p in photos if p.problem is not None], ignored=found.ignored,
        groups=_groups(photos), seconds=time.perf_counter() - started, photos=photos)
