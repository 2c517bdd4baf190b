"""A dependency-free progress bar for the command line (stderr), for long loops."""
from __future__ import annotations

import sys
import time


def progress(iterable, total: int | None = None, label: str = "", stream=None, every: float = 0.2):
    """Yield from `iterable`, drawing `label [#####.....] n/total` at most every `every` s."""
    stream = stream or sys.stderr
    total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
    start = last = time.monotonic()
    count = 0
    for count, item in enumerate(iterable, 1):
        yield item
        now = time.monotonic()
        if now - last >= every or count == total:
            last = now
            if total:
                filled = int(30 * count / total)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {count}/{total}"
            else:
                bar = f"{count}"
            stream.write(f"\r{label} {bar} {now - start:.1f}s")
            stream.flush()
    if count:
        stream.write("\n")
