"""Writing artifacts atomically (readers see the old file or the new one, never half) and
their checksums."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from core import paths


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder + rename: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=1, allow_nan=False) + "\n").encode())


def atomic_copy(src: Path, dst: Path) -> None:
    atomic_write_bytes(dst, Path(src).read_bytes())


_sha_cache: dict[tuple, str] = {}
RECORD_NAME = "sha256.json"  # in core.paths.cache_dir()
RACY_NS = 2_000_000_000  # a file changed this recently may change again within its timestamp's tick: not recorded


def sha256_file(path: Path) -> str:
    """The file's sha256, remembered per (path, size, mtime) by this process and, across server
    starts, in a record in the cache dir: hashing the shipped models (116 MB) took 0.1-0.17 s of
    CPU on each server's first page (python -m bench startup). The record holds a file's hash
    with its size, times, inode and device, as git's index does; any write to the file moves its
    ctime, which no user can set, so a file whose stat still matches holds the bytes hashed."""
    path = Path(path)
    stat = os.stat(path)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _sha_cache:
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]
        entry = _record().get(key[0])
        if isinstance(entry, list) and entry[:-1] == stamp and isinstance(entry[-1], str):
            _sha_cache[key] = entry[-1]
        else:
            _sha_cache[key] = _sha256(path)
            if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS:
                _remember(key[0], stamp + [_sha_cache[key]])
    return _sha_cache[key]


def _record() -> dict:
    """The cache dir's record (path -> [size, mtime, ctime, inode, device, sha256]); empty when
    there is none or it cannot be read (then every file is hashed, as on a first start)."""
    try:
        record = json.loads((paths.cache_dir() / RECORD_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _remember(name: str, entry: list) -> None:
    """Add one file to the record, dropping files that are gone; a cache dir that cannot be
    written only costs the next start its hashing."""
    record = {key: value for key, value in _record().items() if os.path.exists(key)}
    record[name] = entry
    try:
        atomic_write_json(paths.cache_dir() / RECORD_NAME, record)
    except OSError:
        pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
