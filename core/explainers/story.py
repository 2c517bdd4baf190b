"""The chapter's argument as a guided sequence of curves (sections 5.2-5.3).

Each step names the recipes whose curves make its point and the metric to look at; the
one-paragraph lessons live in the page's string catalog (`compare.story.<key>.*`) as templates
that quote `Facts`: numbers read off the runs on screen, never typed into the text.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.explainers.curves import Summary

BOOK_BASE = "vgg16"  # the first edition's pretrained base (Listings 5.16-5.23)


@dataclass(frozen=True)
class Step:
    key: str
    recipes: tuple[str, ...]
    metric: str  # "accuracy" or "loss": the chart that tells this step's lesson


STORY: tuple[Step, ...] = (
    Step("baseline", ("scratch",), "accuracy"),  # 5.2.4: ~70% from 2,000 images
    Step("overfitting", ("scratch",), "loss"),  # validation loss turns up after a few epochs
    Step("augmentation", ("scratch", "scratch_augmented"), "accuracy"),  # 5.2.5: ~82%
    Step("feature_extraction", ("feature_extraction", "feature_extraction_augmented"), "accuracy"),  # 5.3.1
    Step("fine_tuning", ("feature_extraction_augmented", "fine_tuning"), "accuracy"),  # 5.3.2
)


@dataclass(frozen=True)
class Facts:
    """What a lesson quotes about one side of a step (the book's runs, or ours): each recipe's
    Summary by recipe id (`facts["scratch"].best_accuracy`), and what the step's second recipe
    changed against its first."""

    runs: dict[str, Summary]
    step: Step

    def __getitem__(self, recipe: str) -> Summary:
        return self.runs[recipe]

    @property
    def gain_points(self) -> float:
        """Best validation accuracy, second recipe minus first, in percentage points."""
        first, second = (self.runs[r] for r in self.step.recipes)
        return (second.best_accuracy - first.best_accuracy) * 100

    @property
    def relative_gain(self) -> float:
        """The same as a fraction of the first recipe's (the book's "15% relative improvement")."""
        first, second = (self.runs[r] for r in self.step.recipes)
        return second.best_accuracy / first.best_accuracy - 1
