"""Photos whose label is likely wrong, ranked: cleanlab's `find_label_issues` on out-of-sample
predicted probabilities.

cleanlab (confident learning) needs, for every photo, class probabilities from a model that
never saw that photo. These come cheaply: the pretrained base's features (computed once, as
Listing 5.17 does) and a logistic regression (scikit-learn) cross-validated in folds that keep
copies of one photo together (the data check's groups), so no photo is judged by a model that
learned its copy. `python -m core check-data PATH --label-issues` prints the ranking.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

FOLDS = 5


@dataclass(frozen=True)
class LabelIssue:
    file: str  # relative to the folder's root
    label: str  # the class folder it is filed under
    suggested: str  # the class the out-of-sample model prefers
    self_confidence: float  # the out-of-sample probability of its own label (low: likely mislabelled)


def features(paths: list[Path], recipe_id: str = "feature_extraction", base: str | None = None) -> np.ndarray:
    """The pretrained base's pooled features of each photo (at the recipe's image size)."""
    from core import recipes
    from core.data import folders
    from core.training import models

    recipe = recipes.get(recipe_id)
    images = folders.decode(paths, np.zeros(len(paths), int), recipe.data.image_size, "features")
    if images.skipped:
        raise ValueError(f"{len(images.skipped)} photos could not be decoded (the data check lists them)")
    extract = models.feature_extractor(models.build(recipe, recipe.base_for(base)))
    maps = extract.predict(images.x.astype("float32"), batch_size=32, verbose=0)
    return maps.mean(axis=(1, 2))


def out_of_sample_probabilities(x: np.ndarray, labels: np.ndarray, groups: np.ndarray, seed: int = 0) -> np.ndarray:
    """Each photo's class probabilities from a logistic regression fitted on the other folds."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    folds = StratifiedGroupKFold(n_splits=min(FOLDS, int(np.bincount(labels).min())), shuffle=True,
                                 random_state=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    return cross_val_predict(model, x, labels, groups=groups, cv=folds, method="predict_proba")


def find(report, seed: int = 0, base: str | None = None) -> list[LabelIssue]:
    """The likely label errors among a checked folder's readable photos, most likely first."""
    photos = [p for p in report.photos if p.problem is None]
    return rank(report, features([p.path for p in photos], base=base), seed)


def rank(report, x: np.ndarray, seed: int = 0) -> list[LabelIssue]:
    """cleanlab's ranking from `x`, one feature row per readable photo of the report (in its order)."""
    from cleanlab.filter import find_label_issues

    photos = [p for p in report.photos if p.problem is None]
    index = {c: i for i, c in enumerate(report.classes)}
    labels = np.array([index[p.label] for p in photos])
    group_of = {p.path: i for i, g in enumerate(report.groups) for p in g}
    groups = np.array([group_of.get(p.path, len(report.groups) + i) for i, p in enumerate(photos)])
    probabilities = out_of_sample_probabilities(x, labels, groups, seed)
    ranked = find_label_issues(labels, probabilities, return_indices_ranked_by="self_confidence")
    return [LabelIssue(str(photos[i].path.relative_to(report.root)), photos[i].label,
                       report.classes[int(probabilities[i].argmax())], round(float(probabilities[i, labels[i]]), 4))
            for i in ranked]
