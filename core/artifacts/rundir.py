"""Run directories: how they are checked on read, listed and named.

A run dir holds `model.onnx`, `history.json` and `card.json` (and, for runs, `model.keras`
and `log.jsonl`). `card.json` is written last, so a dir without a valid card is incomplete:
the app never shows it. Reading never raises for a bad artifact; it reports why.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core import datasets, recipes
from core.artifacts.card import Card, CardError
from core.artifacts.files import sha256_file
from core.paths import REFERENCE_DIR, TRAINED_DIR, runs_dir
from core.reasons import Code, Reason

HISTORY_KEYS = ("accuracy", "val_accuracy", "loss", "val_loss")


@dataclass
class RunInfo:
    """What the pages need to show one run, or why it cannot be shown."""

    path: Path
    name: str
    card: Card | None = None  # None when card.json is missing or unreadable
    history: dict = field(default_factory=dict)
    problem: Reason | None = None  # None: the model is usable

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def recipe(self) -> str:
        """The card's recipe; without a card, what the folder's name says (trained/<dataset>-<recipe>/)."""
        if self.card:
            return self.card.recipe
        return self.name if self.name in recipes.RECIPES else self.name.rpartition("-")[2]

    @property
    def dataset(self) -> str | None:
        """The data the model learned from: the card's; without a card, the folder's name's."""
        if self.card:
            return self.card.dataset
        if self.name in recipes.RECIPES:
            return recipes.RECIPES[self.name].dataset
        prefix, _, recipe = self.name.rpartition("-")
        return prefix if prefix and recipe in recipes.RECIPES else None


def _finite_history(history: dict) -> Reason | None:
    if not isinstance(history, dict) or not history.get("accuracy"):
        return Reason(Code.HISTORY_INVALID, "history.json has no accuracy values")
    lengths = {len(history[k]) for k in HISTORY_KEYS if k in history}
    if len(lengths) != 1:
        return Reason(Code.HISTORY_INVALID, "history.json lists of unequal length")
    for key in HISTORY_KEYS:
        for value in history.get(key, []):
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                return Reason(Code.HISTORY_INVALID, f"history.json has a non-finite {key} value ({value})")
    return None


def read_run(path: str | Path, verify_sha: bool = True) -> RunInfo:
    """Check a run dir: card reads, model.onnx present, non-empty, sha256 matches, history finite."""
    path = Path(path)
    info = RunInfo(path=path, name=path.name)
    try:
        info.card = Card.read(path)
    except FileNotFoundError:
        info.problem = Reason(Code.CARD_MISSING, "card.json is missing (the run did not finish)")
        return info
    except CardError as error:
        info.problem = Reason(Code.CARD_INVALID, str(error))
        return info
    model = path / "model.onnx"
    if not model.is_file():
        info.problem = Reason(Code.ONNX_MISSING, "model.onnx is missing")
        return info
    if model.stat().st_size == 0:
        info.problem = Reason(Code.ONNX_EMPTY, "model.onnx is empty")
        return info
    if verify_sha and sha256_file(model) != info.card.sha256:
        info.problem = Reason(Code.ONNX_MISMATCH, "model.onnx does not match the sha256 in card.json (corrupt or replaced)")
        return info
    try:
        info.history = json.loads((path / "history.json").read_text())
    except (OSError, ValueError) as error:
        info.problem = Reason(Code.HISTORY_INVALID, f"history.json cannot be read ({error})")
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


def new_run_dir(recipe_id: str, root: Path | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(root or runs_dir()) / f"{recipe_id}-{stamp}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = path.with_name(f"{recipe_id}-{stamp}-{suffix}")
    return path


def finished_runs(recipe_id: str | None = None, root: Path | None = None) -> list[RunInfo]:
    """The usable runs under runs_dir() (card written, model verified), newest first."""
    runs = [info for info in list_runs(root or runs_dir()) if info.ok
            and (recipe_id is None or info.recipe == recipe_id)]
    return sorted(runs, key=lambda info: info.card.finished, reverse=True)


def models(dataset: str | None = None, trained: Path | None = None,
           root: Path | None = None) -> tuple[list[RunInfo], list[RunInfo]]:
    """What the app can show: (the shipped models in trained/, usable or not: the chapter's data
    sets first, each in the chapter's order, then other data sets' (trained/<data set>-<recipe>/) by
    name; the user's finished runs, newest first), of one dataset or of all."""
    def chapter_order(info: RunInfo):  # the book's data sets first, then the others by name; recipes in order
        first = datasets.CHAPTER.index(info.dataset) if info.dataset in datasets.CHAPTER else len(datasets.CHAPTER)
        return first, info.dataset or "", recipes.RECIPE_IDS.index(info.recipe)

    shipped = [info for info in list_runs(trained or TRAINED_DIR)
               if info.recipe in recipes.RECIPES and info.dataset and dataset in (None, info.dataset)]
    return (sorted(shipped, key=chapter_order),
            [info for info in finished_runs(root=root) if info.recipe in recipes.RECIPES
             and dataset in (None, info.dataset)])


def sources_for(recipe_id: str, root: Path | None = None) -> list[RunInfo]:
    """Runs a recipe can continue (`--from`): finished runs of its `starts_from` recipe that
    kept their Keras model, newest first; [] for recipes that start fresh."""
    parent = recipes.get(recipe_id).starts_from
    if not parent:
        return []
    return [info for info in finished_runs(parent, root) if (info.path / "model.keras").is_file()]
