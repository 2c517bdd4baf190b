"""The results table's rows: one per model (shipped or a user's run) beside the book's number.

Every table of results (trained/README.md, the Compare page, the Home page) is built from these
rows, so they agree on what a column means: the book's number comes from the recipe, the
epochs are "trained / the book's", flagged when fewer.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import recipes
from core.artifacts.rundir import RunInfo
from core.reasons import Reason


@dataclass(frozen=True)
class ResultRow:
    recipe: str
    run: RunInfo | None  # None: the recipe was never trained here

    @property
    def ok(self) -> bool:
        return self.run is not None and self.run.ok

    @property
    def problem(self) -> Reason | None:
        """Why the model cannot be shown (None when it can, or when there is no run)."""
        return self.run.problem if self.run else None

    @property
    def listings(self) -> str:
        return recipes.get(self.recipe).listings

    @property
    def dataset(self) -> str:
        """The data the model learned from (a recipe never trained here: its own)."""
        return (self.run.dataset if self.run else None) or recipes.get(self.recipe).dataset

    @property
    def book_accuracy(self) -> float | None:
        """The book's number, only beside a model of the book's data (never a cloud model's)."""
        return recipes.get(self.recipe).book_test_accuracy if recipes.on_own_data(self.recipe, self.dataset) else None

    @property
    def accuracy(self) -> float | None:
        return self.run.card.test_accuracy if self.ok else None

    @property
    def base(self) -> str | None:
        return self.run.card.base if self.ok else None

    @property
    def minutes(self) -> float | None:
        return self.run.card.seconds / 60 if self.ok else None

    @property
    def hardware(self) -> str:
        if not self.ok:
            return ""
        hardware = self.run.card.hardware
        return " · ".join(part for part in (hardware.get("device"), hardware.get("cpu")) if part)

    def epochs(self, flag: str) -> str:
        """"trained / the book's", with `flag` appended when fewer than the book's; "" without a model."""
        if not self.ok:
            return ""
        card = self.run.card
        return f"{card.epochs} / {card.epochs_planned}" + (f" {flag}" if card.fewer_epochs else "")


def result_rows(runs: list[RunInfo], every_recipe: bool = True) -> list[ResultRow]:
    """Rows in the chapter's order: each run of a known recipe on the book's data, and
    (every_recipe) one empty row for each recipe with no run; then the runs on other data sets
    (a user's labelled folders), grouped by data set."""
    known = [run for run in runs if run.recipe in recipes.RECIPES]
    rows = []
    for recipe_id in recipes.RECIPE_IDS:
        mine = [ResultRow(recipe_id, run) for run in known
                if run.recipe == recipe_id and recipes.on_own_data(recipe_id, run.dataset)]
        rows += mine or ([ResultRow(recipe_id, None)] if every_recipe else [])
    others = [run for run in known if not recipes.on_own_data(run.recipe, run.dataset)]
    return rows + [ResultRow(run.recipe, run) for run in
                   sorted(others, key=lambda run: (run.dataset, recipes.RECIPE_IDS.index(run.recipe)))]
