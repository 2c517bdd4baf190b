"""How much a data-set upload may put on the server's disk, in one place, and writing one so
that a refusal or a full disk never leaves half a folder.

An upload is checked before anything is written (`refusal`), then written into a hidden folder
beside its destination that is renamed into place only when complete (`staged`).
"""
from __future__ import annotations

import contextlib
import errno
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.reasons import Code, Reason

MAX_UPLOAD_MB = 300  # unpacked; CCSN (2,543 photos, 11 classes) is 105 MB
MAX_UPLOAD_FILES = 5_000
MAX_DATA_SETS = 20  # uploaded data sets kept on the server
KEEP_FREE_MB = 1_024  # an upload that would leave less free disk is refused: runs need room too
MB = 1 << 20


class Refused(Exception):
    """Raised with a Reason (core.reasons.reason_of finds it)."""


def free_mb(folder: Path) -> float:
    """Free disk space where `folder` is (or would be made)."""
    folder = Path(folder).resolve()
    while not folder.exists():
        folder = folder.parent
    return shutil.disk_usage(folder).free / MB


def refusal(size_bytes: int, files: int, destination: Path, kept: int = 0) -> Reason | None:
    """Why an upload of `files` files, `size_bytes` unpacked, cannot be written to `destination`
    while `kept` uploaded data sets are already there; None when it may."""
    mb = size_bytes / MB
    if mb > MAX_UPLOAD_MB:
        return Reason(Code.UPLOAD_TOO_LARGE, f"the upload is {mb:.0f} MB unpacked, over the {MAX_UPLOAD_MB} MB allowed",
                      mb=round(mb), limit=MAX_UPLOAD_MB)
    if files > MAX_UPLOAD_FILES:
        return Reason(Code.UPLOAD_TOO_MANY_FILES,
                      f"the upload holds {files} files, over the {MAX_UPLOAD_FILES} allowed",
                      count=files, limit=MAX_UPLOAD_FILES)
    if kept >= MAX_DATA_SETS:
        return Reason(Code.DATA_SETS_FULL, f"the server already keeps {MAX_DATA_SETS} uploaded data sets",
                      limit=MAX_DATA_SETS)
    left = free_mb(destination)
    if left - mb < KEEP_FREE_MB:
        return _disk_full(left, mb + KEEP_FREE_MB)
    return None


def _disk_full(free: float, needed: float) -> Reason:
    return Reason(Code.DISK_FULL, f"the disk has {free:.0f} MB free; this needs at least {needed:.0f} MB",
                  free_mb=round(free), needed_mb=round(needed))


@contextlib.contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """A hidden, empty folder beside `destination` to write into; renamed to `destination` when
    the block ends, removed when it raises. A full disk raises Refused(disk_full). The
    destination must not exist: an upload never overwrites."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial"))
    try:
        yield partial
        partial.rename(destination)  # fails, rather than merges, if destination appeared meanwhile
    except OSError as error:
        written = sum(f.stat().st_size for f in partial.rglob("*") if f.is_file()) / MB  # before it goes
        shutil.rmtree(partial, ignore_errors=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise Refused(_disk_full(free_mb(destination.parent), written + KEEP_FREE_MB)) from error
        raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
