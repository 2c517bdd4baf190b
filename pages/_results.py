"""Shared pieces of the results pages (predict, compare, train): the models and runs the app
can show, one cached onnxruntime session per model, and the plotly charts."""
from __future__ import annotations

import math
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from core import paths
from core.artifacts import rundir
from core.explainers import curves
from core.serving import evaluate, inference
from pages import _theme as theme
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
    """A shipped model by its recipe's name; a run by its name too, and its folder."""
    name = t(f"recipe.{info.recipe}")
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


def _layout(fig: go.Figure, height: int, top: int = 50) -> go.Figure:
    """The house style; pages draw these figures with theme=None so the big fonts stay."""
    fig.update_layout(height=height, font=theme.FONT, margin={"l": 10, "r": 10, "t": top, "b": 10},
                      legend={"orientation": "h", "y": -0.18, "font": theme.FONT}, template="plotly_white",
                      title_font=theme.TITLE_FONT)
    return fig


def probability_bars(labels, probabilities, names=None) -> go.Figure:
    """Horizontal bars, one per class, the winner in the accent colour."""
    best = max(range(len(probabilities)), key=lambda i: probabilities[i])
    names = names or list(labels)
    fig = go.Figure(go.Bar(x=[float(p) for p in probabilities], y=names, orientation="h",
                           marker_color=[theme.SERIES[0] if i == best else theme.GREY for i in range(len(names))],
                           text=[f"{p:.1%}" for p in probabilities], textposition="auto"))
    fig.update_xaxes(range=[0, 1], visible=False)  # the bars carry their numbers
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, 60 + 38 * len(names)).update_layout(margin={"t": 10})


def confusion_figure(matrix, labels) -> go.Figure:
    """Counts, rows the truth and columns the model's answer."""
    fig = go.Figure(go.Heatmap(z=matrix, x=list(labels), y=list(labels), colorscale=theme.INPUT, showscale=False,
                               text=[[str(v) for v in row] for row in matrix], texttemplate="%{text}",
                               textfont=theme.TITLE_FONT))
    fig.update_xaxes(title=t("results.predicted"), side="top")
    fig.update_yaxes(title=t("results.truth"), autorange="reversed")
    return _layout(fig, 340)


def _add_curves(fig, c: curves.Curves, metric, colour, smoothing, factor, cell, legend=True) -> None:
    """One run: training dotted, validation solid (one legend entry per run, its colour)."""
    for prefix, dash, width, split in (("", "dot", 2, "training"), ("val_", "solid", 4, "validation")):
        values = c.history.get(prefix + metric)
        if not values:
            continue
        if smoothing != "none":  # the raw points stay visible, faint, as in TensorBoard
            fig.add_scatter(x=c.epochs, y=values, mode="lines", line={"color": colour, "width": 1, "dash": dash},
                            opacity=0.3, showlegend=False, hoverinfo="skip", **cell)
        fig.add_scatter(x=c.epochs, y=curves.smooth(values, smoothing, factor), name=c.label,
                        mode="lines+markers" if len(c.epochs) < 12 else "lines", marker={"size": 9},
                        legendgroup=c.label, showlegend=legend and (prefix == "val_" or not c.validated),
                        hovertemplate=f"{c.label} · {t('results.' + split)}<br>%{{x}}: %{{y:.3f}}<extra></extra>",
                        line={"color": colour, "width": width, "dash": dash}, **cell)
    best = curves.best_epoch(c)
    if best is not None:
        value = c.history[f"val_{metric}"][c.epochs.index(best)]
        fig.add_scatter(x=[best], y=[value], mode="markers", showlegend=False, name=c.label,
                        hovertemplate=t("results.best", epoch=best) + f"<br>{value:.3f}<extra></extra>",
                        marker={"symbol": "star", "size": 20, "color": colour, "line": {"width": 1.5, "color": theme.INK}},
                        **cell)
    gap = curves.overfitting_gap(c)
    if gap is not None and metric == "accuracy":
        x, train, val = c.epochs[-1], c.history["accuracy"][-1], c.history["val_accuracy"][-1]
        fig.add_scatter(x=[x, x], y=[val, train], mode="lines", showlegend=False, hoverinfo="skip",
                        line={"color": colour, "width": 3}, **cell)
        fig.add_annotation(x=x, y=(train + val) / 2, text=t("results.gap", gap=gap[-1] * 100), showarrow=False,
                           xanchor="left", xshift=6, font={**theme.FONT, "color": colour}, **cell)


def curves_figure(sets: list[curves.Curves], metric: str, smoothing: str = "none",
                  factor: float = curves.BOOK_FACTOR, grid: bool = False, height: int = 460) -> go.Figure:
    """Training (dotted) and validation (solid) curves of several runs, overlaid or one panel
    each; a star marks the best epoch, a bar at the last epoch the overfitting gap."""
    title = t(f"results.metric.{metric}")
    grid = grid and len(sets) > 1
    if not grid:
        fig = go.Figure()
        for i, c in enumerate(sets):
            _add_curves(fig, c, metric, theme.SERIES[i % len(theme.SERIES)], smoothing, factor, {})
        fig.update_layout(title=title)
    else:
        cols = min(3, len(sets))
        rows = math.ceil(len(sets) / cols)
        titles = [c.label.replace(" — ", "<br>").replace(" · ", "<br>") for c in sets]
        fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True, subplot_titles=titles,
                            vertical_spacing=0.12)
        for i, c in enumerate(sets):
            cell = {"row": i // cols + 1, "col": i % cols + 1}
            _add_curves(fig, c, metric, theme.SERIES[i % len(theme.SERIES)], smoothing, factor, cell, legend=False)
        fig.update_annotations(font=theme.FONT)
        fig.update_layout(title=title)
        height = 340 * rows + 80
    last = max((c.epochs[-1] for c in sets if c.epochs), default=1)
    fig.update_xaxes(title=t("results.epoch"), dtick=1 if last < 10 else None, rangemode="nonnegative")
    if metric == "accuracy":
        fig.update_yaxes(tickformat=".1~%")
    return _layout(fig, height, top=120 if grid else 50)  # room for the panels' two-line titles
