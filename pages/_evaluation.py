"""Evaluation of any data set's model, for pages/evaluate.py: where its test photos are on this
machine (the book's test folder, a run's split manifest), its verdicts on them computed once and
shared, and the N×N confusion matrix drawn to be read from the back of a classroom."""
from __future__ import annotations

import streamlit as st

from core.data import folders, manifest
from core.datasets import CATS_DOGS, MNIST
from core.serving import evaluate
from pages import _theme as theme
from pages._i18n import t
from pages._plotly import go
from pages._results import evaluation, load

MATRIX_HEIGHT = 640  # px, the page's full width: 11 classes' cells still hold their counts at 1280x720


def test_photos(info, predictor) -> list | None:
    """The model's test photos as [(path, label)] where they are here; None where they are not
    (MNIST's are arrays, not photos: its card's matrix is shown)."""
    if info.dataset == MNIST.id:
        return None
    if info.dataset == CATS_DOGS.id:
        try:
            root = folders.cats_dogs_root()
        except folders.DataFolderError:
            return None
        paths, labels = folders.split_files(root, "test", predictor.labels)
        return list(zip(paths, (int(label) for label in labels)))
    return manifest.held_out(info.path, predictor.labels, folders.data_root())


@st.cache_resource(show_spinner=False)
def _judged() -> dict:
    return {}


def judged(info, photos: list, on_progress=None) -> evaluate.Evaluation:
    """The model's verdicts on its test photos: once per model version, shared by every user."""
    if info.dataset == CATS_DOGS.id:  # the same store as Predict's batch tab
        return evaluation(info, folders.cats_dogs_root(), on_progress)
    store, key = _judged(), (str(info.path), info.card.sha256)
    if key not in store:
        paths, labels = zip(*photos)
        store[key] = evaluate.evaluate_files(load(info), list(paths), list(labels), on_progress)
    return store[key]


def matrix_figure(confusion, names: list[str], chosen: tuple[int, int] | None = None) -> go.Figure:
    """Counts, rows the truth and columns the model's answer, the chosen cell outlined; the
    numbers shrink from the title size to the cell size as the classes grow."""
    n = len(names)
    font = theme.TITLE_FONT if n <= 4 else theme.FONT if n <= 12 else theme.CELL_FONT
    fig = go.Figure(go.Heatmap(z=confusion, x=names, y=names, colorscale=theme.INPUT, showscale=False,
                               text=[[str(v) for v in row] for row in confusion], texttemplate="%{text}",
                               textfont=font, xgap=1, ygap=1, hoverinfo="skip"))
    cells = [(i, j) for i in range(n) for j in range(n)]  # invisible points on the cells carry the hover and
    fig.add_scatter(x=[names[j] for _, j in cells], y=[names[i] for i, _ in cells], mode="markers",  # the click:
                    customdata=[confusion[i][j] for i, j in cells], showlegend=False,  # a heatmap's own clicks
                    marker={"symbol": "square", "size": 30, "opacity": 0.01, "color": theme.INK},  # reach no
                    hovertemplate=f"{t('evaluate.truth')}: %{{y}}<br>{t('evaluate.answer')}: %{{x}}"  # Streamlit
                                  "<br>%{customdata}<extra></extra>")  # selection (its issue 8760)
    if chosen:
        truth, answer = chosen
        fig.add_shape(type="rect", x0=answer - 0.5, x1=answer + 0.5, y0=truth - 0.5, y1=truth + 0.5,
                      line={"color": theme.INK, "width": 3})
    fig.update_xaxes(title=t("evaluate.answer"), side="top", tickangle=-30 if n > 6 else 0, type="category",
                     tickmode="array", tickvals=names)  # every class named, none skipped for room
    fig.update_yaxes(title=t("evaluate.truth"), autorange="reversed", type="category", tickmode="array", tickvals=names)
    height = 340 if n <= 2 else MATRIX_HEIGHT
    return fig.update_layout(height=height, font=theme.FONT,
                             margin={"l": 10, "r": 10, "t": 10, "b": 10})


def clicked(key: str, n: int) -> tuple[int, int] | None:
    """The cell (truth, answer) of a new click on the matrix drawn with `key`, once; None when
    nothing new was clicked."""
    points = ((st.session_state.get(key) or {}).get("selection") or {}).get("points") or []
    index = points[0].get("point_index") if points and points[0].get("curve_number") == 1 else None
    if index is None or st.session_state.get(f"{key}_seen") == index:
        return None
    st.session_state[f"{key}_seen"] = index
    return divmod(int(index), n)
