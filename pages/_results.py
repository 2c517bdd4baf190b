"""Shared pieces of the results pages (predict, compare, train): the models and runs the app
can show and one cached onnxruntime session per model. Their charts are in pages/_charts.py, so
that a page which draws none (Predict's photo tab, Train without a run) does not load pandas."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import paths
from core.artifacts import rundir
from core.datasets import CHAPTER
from core.serving import evaluate, inference
from pages._i18n import language, t


@st.cache_data(ttl=10, show_spinner=False)
def _models(dataset: str | None, trained: str, own: str) -> tuple[list[rundir.RunInfo], list[rundir.RunInfo]]:
    return rundir.models(dataset, Path(trained), Path(own))


def models(dataset: str | None = None) -> tuple[list[rundir.RunInfo], list[rundir.RunInfo]]:
    """core.artifacts.rundir.models, re-read at most every 10 s (pages rerun on every click)."""
    return _models(dataset, str(paths.TRAINED_DIR), str(paths.runs_dir()))


def forget_runs() -> None:
    """Re-read the run folders now (a run just finished)."""
    _models.clear()


def label(info: rundir.RunInfo) -> str:
    """A shipped model by its recipe's name (and, learned from a user's folder, that data set's);
    a run by its name too, and its folder."""
    name = t(f"recipe.{info.recipe}") + ("" if info.dataset in CHAPTER else f" · {info.dataset}")
    return name if info.path.parent == paths.TRAINED_DIR else f"{name} · {info.name}"


def display_names(names: dict[str, tuple[str, ...]]) -> list[str]:
    """A model's names for its labels (inference.Predictor.display_names) in the chosen
    language, English where it has none."""
    return list(names.get(language(), names["en"]))


def load(info: rundir.RunInfo) -> inference.Predictor:
    """The cached Predictor of a usable run (raises ModelUnavailable when it is not)."""
    if not info.ok:
        raise inference.ModelUnavailable(info.problem)
    return inference.predictor(info.path)  # one session per model version, shared by every user


@st.cache_resource
def _evaluations() -> dict:
    return {}


def evaluation(info: rundir.RunInfo, root, on_progress=None) -> evaluate.Evaluation:
    """A model's verdicts on the whole test split: computed once per model version and data
    root, then shared by every user (raises ModelUnavailable)."""
    store, key = _evaluations(), (str(info.path), info.card.sha256, str(root))
    if key not in store:
        store[key] = evaluate.evaluate(load(info), root, on_progress=on_progress)
    return store[key]
