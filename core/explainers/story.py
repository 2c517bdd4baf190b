"""The chapter's argument as a guided sequence of curves (sections 5.2-5.3).

Each step names the recipes whose curves make its point and the metric to look at; the
one-paragraph lessons live in the page's string catalog (`compare.story.<key>.*`).
"""
from __future__ import annotations

from dataclasses import dataclass


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
