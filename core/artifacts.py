"""Run directories: where they live, how they are written (atomically) and checked on read.

A run dir holds `model.onnx`, `history.json` and `card.json` (and, for runs, `model.keras`
and `log.jsonl`). `card.json` is written last, so a dir without a valid card is incomplete:
the app never shows it. Reading never raises for a bad artifact; it reports why.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAINED_DIR = REPO / "trained"
REFERENCE_DIR = TRAINED_DIR / "reference"
HISTORY_KEYS = ("accuracy", "val_accuracy", "loss", "val_loss")
CARD_KEYS = ("recipe", "sha256", "test_accuracy", "epochs", "epochs_planned", "seconds", "hardware", "listings")


def runs_dir() -> Path:
    """Where new runs land (never over `trained/`): $CONVNET_RUNS or ./runs."""
    return Path(os.environ.get("CONVNET_RUNS", REPO / "runs")).resolve()


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


def sha256_file(path: Path) -> str:
    """The file's sha256, remembered per (path, size, mtime): pages re-verify models on every
    visit, and hashing 70 MB of models each time would slow every page."""
    stat = os.stat(path)
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _sha_cache:
        _sha_cache[key] = _sha256(path)
    return _sha_cache[key]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class RunInfo:
    """What the pages need to show one run, or why it cannot be shown."""

    path: Path
    name: str
    card: dict = field(default_factory=dict)
    history: dict = field(default_factory=dict)
    problem: str | None = None  # None: the model is usable

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def recipe(self) -> str:
        return self.card.get("recipe", self.name)


def _finite_history(history: dict) -> str | None:
    if not isinstance(history, dict) or not history.get("accuracy"):
        return "history.json has no accuracy values"
    lengths = {len(history[k]) for k in HISTORY_KEYS if k in history}
    if len(lengths) != 1:
        return "history.json lists of unequal length"
    for key in HISTORY_KEYS:
        for value in history.get(key, []):
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                return f"history.json has a non-finite {key} value ({value})"
    return None


def read_run(path: str | Path, verify_sha: bool = True) -> RunInfo:
    """Check a run dir: card parses, model.onnx present, non-empty, sha256 matches, history finite."""
    path = Path(path)
    info = RunInfo(path=path, name=path.name)
    try:
        info.card = json.loads((path / "card.json").read_text())
        if not isinstance(info.card, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        info.problem = "card.json is missing (the run did not finish)"
        return info
    except (ValueError, UnicodeDecodeError) as error:
        info.problem = f"card.json is not valid JSON ({error})"
        return info
    missing = [key for key in CARD_KEYS if key not in info.card]
    if missing:
        info.problem = f"card.json lacks {', '.join(missing)}"
        return info
    model = path / "model.onnx"
    if not model.is_file():
        info.problem = "model.onnx is missing"
        return info
    if model.stat().st_size == 0:
        info.problem = "model.onnx is empty"
        return info
    if verify_sha and sha256_file(model) != info.card.get("sha256"):
        info.problem = "model.onnx does not match the sha256 in card.json (corrupt or replaced)"
        return info
    try:
        info.history = json.loads((path / "history.json").read_text())
    except (OSError, ValueError) as error:
        info.problem = f"history.json cannot be read ({error})"
        return info
    info.problem = _finite_history(info.history)
    return info


def list_runs(root: str | Path) -> list[RunInfo]:
    """Every run dir under root (complete or not), sorted by name."""
    root = Path(root)
    if not root.is_dir():
        return []
    return [read_run(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")
            and p.name != "reference"]


def load_reference(recipe_id: str) -> dict | None:
    """The book's printed run for a recipe (trained/reference/<id>.json), or None."""
    path = REFERENCE_DIR / f"{recipe_id}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
