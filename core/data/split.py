"""Listing 5.4 as a command: the book's 1000/500/500-per-class split from Kaggle's images.

Two sources: the competition's train/ folder (cat.N.jpg, dog.N.jpg) or Microsoft's "Kaggle Cats
and Dogs" zip (PetImages/Cat/N.jpg; about 1,700 of its files are broken). Each class takes its
first 2,000 images that Pillow decodes, in numeric order, renamed cat.0 ... cat.1999, so the
book's numbering holds: 0-999 train, 1000-1499 validation, 1500-1999 test. Zip members are read
one by one (never extracted) and only our own file names are written. The split is built in a
temp folder beside the target and renamed into place: a failure never leaves half a split.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from core.data.folders import SPLITS, DataFolderError
from core.data.images import BadImage, open_image
from core.datasets import CATS_DOGS
from core.progress import progress

SPLIT_RANGES = {"train": range(0, 1000), "validation": range(1000, 1500), "test": range(1500, 2000)}
PER_CLASS = 2000
PREFIX = {"cats": "cat", "dogs": "dog"}
MAX_FILE_BYTES = 50 << 20  # a photo is far below this; larger members are refused unread
MAX_RATIO = 100  # JPEGs barely compress: a member that inflates 100-fold is a zip bomb
KAGGLE_NAME = re.compile(r"(cat|dog)\.(\d+)\.jpg")
MICROSOFT_NAME = re.compile(r"PetImages/(Cat|Dog)/(\d+)\.jpg")
REPORT_NAMES = 10  # skipped or refused names listed in the report
CHUNK = 64  # images read, then decoded in parallel, at a time
# what a damaged zip member raises on reading: bad CRC, bad deflate data, encryption, odd method
MEMBER_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError)


@dataclass
class Candidate:
    cls: str  # "cats" or "dogs"
    number: int
    name: str  # as the source calls it, for the report
    read: Callable[[], bytes]


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be read (a path leaving the archive, a size bomb), or None."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in PurePosixPath(name).parts:
        return "path leaves the archive"
    if info.file_size > MAX_FILE_BYTES:
        return f"declared size {info.file_size:,} bytes (limit {MAX_FILE_BYTES:,})"
    if info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"inflates over {MAX_RATIO}-fold (a zip bomb)"
    return None


def _folder_candidates(folder: Path) -> tuple[list[Candidate], list[str]]:
    found, refused = [], []
    for path in folder.iterdir():
        match = KAGGLE_NAME.fullmatch(path.name)
        if not match:
            continue
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            refused.append(f"{path.name}: not a file, or over {MAX_FILE_BYTES:,} bytes")
            continue
        found.append(Candidate(match[1] + "s", int(match[2]), path.name, path.read_bytes))
    return found, refused


def _zip_candidates(archive: zipfile.ZipFile) -> tuple[list[Candidate], list[str]]:
    found, refused, seen = [], [], set()
    for info in archive.infolist():
        problem = unsafe_member(info)
        if problem:
            refused.append(f"{info.filename}: {problem}")
            continue
        match = MICROSOFT_NAME.fullmatch(info.filename)
        if not match or info.filename in seen:  # Thumbs.db, the licence, a duplicate entry
            continue
        seen.add(info.filename)

        def read(info=info) -> bytes:
            with archive.open(info) as member:  # zipfile stops at the declared size
                return member.read(MAX_FILE_BYTES + 1)

        found.append(Candidate(match[1].lower() + "s", int(match[2]), info.filename, read))
    return found, refused


def _decodes(data: bytes) -> bool:
    try:
        open_image(data)  # the serving path's own decoder: what it reads, training can read
        return True
    except (BadImage, OSError):
        return False


def _readable(candidates: list[Candidate], skipped: list[str]):
    """Yield (candidate, bytes) for those that decode, in order; append the others' names."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for start in range(0, len(candidates), CHUNK):
            chunk = candidates[start:start + CHUNK]
            blobs = []
            for candidate in chunk:
                try:
                    blobs.append(candidate.read())
                except MEMBER_ERRORS:
                    blobs.append(b"")
            for candidate, data, ok in zip(chunk, blobs, pool.map(_decodes, blobs)):
                if ok:
                    yield candidate, data
                else:
                    skipped.append(candidate.name)


@contextlib.contextmanager
def _source(source: Path):
    """(kind, candidates, refused) of a Kaggle folder or a Microsoft zip, or a DataFolderError."""
    if source.is_dir():
        yield ("kaggle_folder", *_folder_candidates(source))
    elif source.is_file() and zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as archive:
                yield ("microsoft_zip", *_zip_candidates(archive))
        except zipfile.BadZipFile as error:
            raise DataFolderError(f"{source} is a damaged zip ({error}): download it again") from error
    else:
        what = "does not exist" if not source.exists() else "is neither a folder nor a zip"
        raise DataFolderError(
            f"{source} {what}: pass Kaggle's train/ folder (cat.0.jpg ... dog.12499.jpg) or "
            "Microsoft's kagglecatsanddogs_*.zip")


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not empty: choose a new --out (nothing was overwritten)")


def build_split(source: Path, out: Path) -> dict:
    """Build out/{train,validation,test}/{cats,dogs}/ from `source`; return the report."""
    source, out = Path(source), Path(out)
    _check_out(out)
    with _source(source) as (kind, candidates, refused):
        by_class = {cls: sorted((c for c in candidates if c.cls == cls), key=lambda c: c.number)
                    for cls in CATS_DOGS.classes}
        if any(len(found) < PER_CLASS for found in by_class.values()):
            counts = " and ".join(f"{len(by_class[c])} {c}" for c in CATS_DOGS.classes)
            pattern = "cat.N.jpg/dog.N.jpg" if kind == "kaggle_folder" else "PetImages/Cat|Dog/N.jpg"
            raise DataFolderError(
                f"{source} holds {counts} images named {pattern}; the split needs {PER_CLASS} of each. "
                "Pass Kaggle's train/ folder (25,000 images) or Microsoft's kagglecatsanddogs_*.zip.")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial-"))
        try:
            skipped: list[str] = []
            for cls in CATS_DOGS.classes:
                for split in SPLITS:
                    (tmp / split / cls).mkdir(parents=True)
                with contextlib.closing(_readable(by_class[cls], skipped)) as readable:
                    for index in progress(range(PER_CLASS), label=cls):
                        found = next(readable, None)
                        if found is None:
                            raise DataFolderError(
                                f"{source}: only {index} {cls} images decode, the split needs {PER_CLASS} "
                                f"({len(skipped)} broken, e.g. {', '.join(skipped[:3])})")
                        split = next(s for s, numbers in SPLIT_RANGES.items() if index in numbers)
                        (tmp / split / cls / f"{PREFIX[cls]}.{index}.jpg").write_bytes(found[1])
            report = {
                "source": str(source), "kind": kind, "out": str(out),
                "counts": {s: {c: sum(1 for _ in (tmp / s / c).iterdir()) for c in CATS_DOGS.classes} for s in SPLITS},
                "skipped_corrupt": {"count": len(skipped), "first": skipped[:REPORT_NAMES]},
                "refused": {"count": len(refused), "first": refused[:REPORT_NAMES]},
            }
            (tmp / "split.json").write_text(json.dumps(report, indent=1) + "\n")
            os.chmod(tmp, 0o755)  # mkdtemp's folder is private; the split is not
            try:
                os.replace(tmp, out)  # atomic; replaces only a missing or empty folder
            except OSError as error:
                raise FileExistsError(f"{out} appeared meanwhile and is not empty: nothing was overwritten") from error
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return report
