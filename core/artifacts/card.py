"""The model card (`card.json`): what a run is and how well it did, as one versioned type.

The trainer writes it last (so its presence marks a finished run); `read_run`, the results
tables, the pages and the benches read it. Every key is spelt here once. Version 1 cards (no
`version` key; some without `steps_per_epoch`) still read; `to_dict` writes the current version.
Fields added later have defaults that are true of every card written before them (`backend`:
every earlier run trained under TensorFlow), so old cards read unchanged.
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path

from core import datasets, recipes
from core.artifacts.files import atomic_write_json

CARD_VERSION = 2
CARD_NAME = "card.json"


class CardError(ValueError):
    """A card.json that cannot be read as a card; the message says what is wrong."""


@dataclass(frozen=True)
class Card:
    recipe: str
    title: str
    listings: str  # the book's listing numbers
    base: str | None  # the pretrained base; None from scratch
    epochs: int  # epochs trained
    epochs_planned: int  # the book's schedule
    batch_size: int
    optimizer: str
    learning_rate: float | None  # None: the optimiser's Keras default
    seed: int
    data_fingerprint: str
    images_skipped: int  # unreadable training images skipped
    train_size: int
    validation_size: int
    test_size: int
    test_accuracy: float  # the exported ONNX model on the test split
    confusion: list[list[int]]  # rows: truth, columns: prediction
    book_test_accuracy: float | None
    seconds: float  # wall-clock, data to card
    hardware: dict  # device, gpus, cpu, cpu_count, precision (the Keras dtype policy; older cards lack it)
    versions: dict  # python and library versions
    sha256: str  # of model.onnx
    parity_max_abs_diff: float  # Keras vs onnxruntime at export
    started_from: str | None  # the run fine-tuning continued
    finished: str  # ISO time, UTC
    steps_per_epoch: int | None = None  # None on version 1 cards written before it was recorded
    dataset: str | None = None  # the data set's id (version 1 cards: their recipe's)
    metrics: dict | None = None  # top-1, top-3 (over 3 classes), per-class precision/recall/F1, macro-F1
    data_check: dict | None = None  # a labelled folder's check and split: copies, conflicts left out, counts
    backend: str = "tensorflow"  # the Keras backend that trained it (tensorflow, jax, torch)
    version: int = CARD_VERSION

    @property
    def fewer_epochs(self) -> bool:
        """Trained for fewer epochs than the book's schedule (every table flags it)."""
        return self.epochs < self.epochs_planned

    @property
    def device(self) -> str:
        return self.hardware.get("device", "")

    @classmethod
    def from_dict(cls, data) -> Card:
        """A card from parsed JSON; CardError names what is missing or of the wrong kind."""
        if not isinstance(data, dict):
            raise CardError("card.json is not a JSON object")
        data = {"version": 1, **data}
        if "dataset" not in data and data.get("recipe") in recipes.RECIPES:
            data["dataset"] = recipes.RECIPES[data["recipe"]].dataset
        fields = {f.name: f for f in dataclasses.fields(cls)}
        missing = [name for name, f in fields.items() if name not in data
                   and f.default is dataclasses.MISSING]
        if missing:
            raise CardError(f"card.json lacks {', '.join(missing)}")
        for name in ("epochs", "epochs_planned", "test_accuracy", "seconds"):
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise CardError(f"card.json has a {name} that is not a finite number ({value!r})")
        if not isinstance(data["hardware"], dict):
            raise CardError("card.json's hardware is not an object")
        return cls(**{name: value for name, value in data.items() if name in fields})

    @classmethod
    def read(cls, run_dir: Path) -> Card:
        """The card of a run dir; FileNotFoundError when there is none, CardError when it is bad."""
        try:
            data = json.loads((Path(run_dir) / CARD_NAME).read_text())
        except (ValueError, UnicodeDecodeError) as error:
            raise CardError(f"card.json is not valid JSON ({error})") from error
        return cls.from_dict(data)

    def to_dict(self) -> dict:
        return {**dataclasses.asdict(self), "version": CARD_VERSION}

    def write(self, run_dir: Path) -> None:
        """Atomically: readers see the old card or this one, never half."""
        atomic_write_json(Path(run_dir) / CARD_NAME, self.to_dict())

    def replace(self, **changes) -> Card:
        return dataclasses.replace(self, **changes)


def untrained(recipe, sha256: str, **fields) -> Card:
    """The card of a model exported without training (benchmarks' random-weight stand-ins,
    tests): the recipe's own numbers, zeros for what no run measured; `fields` override."""
    values = dict(
        recipe=recipe.id, title=recipe.title, listings=recipe.listings, base=recipe.base_for(),
        dataset=recipe.dataset, epochs=0,
        epochs_planned=recipe.epochs, batch_size=recipe.batch_size, optimizer=recipe.optimizer,
        learning_rate=recipe.learning_rate, seed=0, data_fingerprint="none", images_skipped=0, train_size=0,
        validation_size=0, test_size=0, test_accuracy=0.0, confusion=[], book_test_accuracy=recipe.book_test_accuracy,
        seconds=0.0, hardware={"device": "CPU"}, versions={}, sha256=sha256, parity_max_abs_diff=0.0,
        started_from=None, finished="")
    return Card(**{**values, **fields})


def dataset_of(card: Card):
    """The data set a finished run learned from: one of the chapter's, or a labelled folder as its
    card's data check describes it (classes and their names)."""
    if card.dataset in datasets.DATASETS:
        return datasets.get(card.dataset)
    check = card.data_check or {}
    if "classes" not in check:
        raise ValueError(f"the card of this {card.dataset} run does not record its classes: train it again")
    return datasets.labelled(card.dataset, tuple(check["classes"]),
                             {language: tuple(names) for language, names in check["display_names"].items()})
