"""Where things live on disk: the repository, the shipped models, new runs, the shared data.

One place, so that data loading, run dirs and the CLI agree on every path.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAINED_DIR = REPO / "trained"
REFERENCE_DIR = TRAINED_DIR / "reference"
SHARED_DATA = REPO.parent / "shared" / "data"
MANIFEST_NAME = "split.json"  # in a run dir (and a shipped model's): which photo of a labelled folder went where
LEAK_RESULT = REPO / "bench" / "results" / "leak.json"  # bench/leak.py: what a random split of CCSN claims
SAMPLES_DIR = REPO / "samples"  # a few photos per data set, with their credit (core.data.folders.sample_photos)


def runs_dir() -> Path:
    """Where new runs land (never over `trained/`): $CONVNET_RUNS or ./runs."""
    return Path(os.environ.get("CONVNET_RUNS", REPO / "runs")).resolve()


def cache_dir() -> Path:
    """What may be thrown away and made again (the models' verified checksums): $CONVNET_CACHE,
    else $XDG_CACHE_HOME/convnet-classroom, else ~/.cache/convnet-classroom."""
    if os.environ.get("CONVNET_CACHE"):
        return Path(os.environ["CONVNET_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "convnet-classroom"
