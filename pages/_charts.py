"""The results pages' charts (Predict, Compare, Train): a model's probabilities, a test set's
confusion matrix, runs' learning curves, in the colours of pages/_theme.py. Imported by a page
where it draws one: pandas, which pages/_plotly.py imports, takes ~0.25 s to load."""
from __future__ import annotations

import math
import re
import unicodedata

from core.explainers import curves
from pages import _theme as theme
from pages._i18n import t
from pages._plotly import go, make_subplots


def _layout(fig: go.Figure, height: int, top: int = 50) -> go.Figure:
    """The house style; pages draw these figures with theme=None so the big fonts stay."""
    fig.update_layout(height=height, font=theme.FONT, margin={"l": 10, "r": 10, "t": top, "b": 10},
                      legend={"orientation": "h", "y": -0.18, "font": theme.FONT},
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


LEGEND_CHARACTERS = 30  # a legend line's width in Latin letters (a CJK character counts two): fits 1280 px
LEGEND_LINE, LEGEND_PAD = 26, 14  # px per legend line at theme.FONT, px around the legend's lines
AXIS_SPACE = 70  # px under the plot for the x-axis' numbers and title
LABEL_SPACE = 32  # px between two gap labels' centres: one line at theme.FONT, with its box


def _wrapped(name: str) -> str:
    """A legend name in lines of at most LEGEND_CHARACTERS, so no legend is cut at 1280 px; a
    long name breaks first before its " — the book's run" or " · run folder"."""
    if _width(name) <= LEGEND_CHARACTERS:
        return name
    lines = []
    for part in re.split(r" (?=[—·] )", name):
        line = ""
        for word in part.split(" "):
            if line and _width(f"{line} {word}") > LEGEND_CHARACTERS:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value(metric: str) -> str:
    """How a hover prints the metric: accuracies as percents, as on every axis and table."""
    return "%{y:.1%}" if metric == "accuracy" else "%{y:.3f}"


def _add_curves(fig, c: curves.Curves, metric, smoothing, factor, cell, legend=True) -> dict | None:
    """One run in its colour: training dotted, validation solid (dashed for the book's runs), one
    legend entry per run; a star at the best validation value (highest accuracy, lowest loss); on
    accuracy, the overfitting gap's bar. Returns where the gap's label belongs: the figure places
    all labels at once, so that they never overlap."""
    colour = theme.run_colour(c.recipe, c.kind)
    name = _wrapped(c.label)
    validation_dash = "dash" if c.kind == "book" else "solid"
    for prefix, dash, width, split in (("", "dot", 2, "training"), ("val_", validation_dash, 4, "validation")):
        values = c.history.get(prefix + metric)
        if not values:
            continue
        if smoothing != "none":  # the raw points stay visible, faint, as in TensorBoard
            fig.add_scatter(x=c.epochs, y=values, mode="lines", line={"color": colour, "width": 1, "dash": dash},
                            opacity=0.3, showlegend=False, hoverinfo="skip", **cell)
        fig.add_scatter(x=c.epochs, y=curves.smooth(values, smoothing, factor), name=name,
                        mode="lines+markers" if len(c.epochs) < 12 else "lines", marker={"size": 9},
                        legendgroup=c.label, showlegend=legend and (prefix == "val_" or not c.validated),
                        hovertemplate=f"{c.label} · {t('results.' + split)}<br>%{{x}}: {_value(metric)}<extra></extra>",
                        line={"color": colour, "width": width, "dash": dash}, **cell)
    best = curves.best_epoch(c) if metric == "accuracy" else curves.lowest_loss_epoch(c)  # the text quotes both
    if best is not None:
        value = c.history[f"val_{metric}"][c.epochs.index(best)]
        fig.add_scatter(x=[best], y=[value], mode="markers", showlegend=False, name=c.label,
                        hovertemplate=f"{c.label}<br>{t('results.best', epoch=best)}<br>{_value(metric)}<extra></extra>",
                        marker={"symbol": "star", "size": 20, "color": colour, "line": {"width": 1.5, "color": theme.INK}},
                        **cell)
    gap = curves.overfitting_gap(c)
    if gap is None or metric != "accuracy":
        return None
    x, train, val = c.epochs[-1], c.history["accuracy"][-1], c.history["val_accuracy"][-1]
    text = t("results.gap", gap=gap[-1] * 100)
    fig.add_scatter(x=[x, x], y=[val, train], mode="lines", showlegend=False, line={"color": colour, "width": 3},
                    hovertemplate=f"{c.label}<br>{text}<extra></extra>", **cell)
    return {"x": x, "y": (train + val) / 2, "text": text, "colour": colour, "cell": cell}


def _gap_labels(fig, labels: list[dict], plot_height: int, low: float, high: float, last: int) -> None:
    """Each gap's label beside its bar (to the right where the plot goes on, else to the left),
    moved up or down, with a thin line back to the bar, so that no two labels overlap."""
    targets = [(label["y"] - low) / (high - low) * plot_height for label in labels]
    places = curves.spread(targets, LABEL_SPACE, LABEL_SPACE / 2, plot_height - LABEL_SPACE / 2)
    for label, target, place in zip(labels, targets, places):
        right = label["x"] <= 0.6 * last  # room for the label right of the bar
        fig.add_annotation(x=label["x"], y=label["y"], text=label["text"], showarrow=True, arrowhead=0,
                           arrowwidth=1.5, arrowcolor=label["colour"], ax=14 if right else -14,
                           ay=float(target - place), xanchor="left" if right else "right", yanchor="middle",
                           font={**theme.FONT, "color": label["colour"]}, bgcolor=theme.VEIL,
                           bordercolor=label["colour"], borderpad=2, **label["cell"])


def curves_figure(sets: list[curves.Curves], metric: str, smoothing: str = "none",
                  factor: float = curves.BOOK_FACTOR, grid: bool = False, height: int = 500) -> go.Figure:
    """Training and validation curves of several runs, overlaid or one panel each; a star marks
    the best epoch, a bar at the last epoch the overfitting gap. `height` is the figure's with a
    one-line legend: every further legend line adds to it, so the plot never shrinks."""
    title = t(f"results.metric.{metric}")
    grid = grid and len(sets) > 1
    last = max((c.epochs[-1] for c in sets if c.epochs), default=1)
    if not grid:
        fig = go.Figure()
        labels = [label for c in sets if (label := _add_curves(fig, c, metric, smoothing, factor, {}))]
        legend = LEGEND_PAD + LEGEND_LINE * sum(_wrapped(c.label).count("<br>") + 1 for c in sets)
        top, bottom = 50, AXIS_SPACE + legend
        # room for a gap label per run, on the accuracy and the loss chart alike (they stand side by side)
        plot_height = max(height - top - AXIS_SPACE - LEGEND_PAD - LEGEND_LINE, LABEL_SPACE * (len(sets) + 1))
        if labels:  # a fixed range, so that the labels' places in pixels are known
            values = [v for c in sets for key in ("accuracy", "val_accuracy") for v in c.history.get(key, [])]
            pad = max(0.05 * (max(values) - min(values)), 0.01)
            low, high = min(values) - pad, max(values) + pad
            fig.update_yaxes(range=[low, high])
            _gap_labels(fig, labels, plot_height, low, high, last)
        fig.update_layout(title=title, height=plot_height + top + bottom,
                          legend={"orientation": "v", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                                  "xanchor": "left", "tracegroupgap": 0, "maxheight": legend, "font": theme.FONT},
                          margin={"l": 10, "r": 10, "t": top, "b": bottom})
    else:
        cols = min(3, len(sets))
        rows = math.ceil(len(sets) / cols)
        titles = [c.label.replace(" — ", "<br>").replace(" · ", "<br>") for c in sets]
        fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True, subplot_titles=titles,
                            vertical_spacing=0.12)
        for i, c in enumerate(sets):
            cell = {"row": i // cols + 1, "col": i % cols + 1}
            label = _add_curves(fig, c, metric, smoothing, factor, cell, legend=False)
            if label:
                fig.add_annotation(x=label["x"], y=label["y"], text=label["text"], showarrow=False, xanchor="right",
                                   xshift=-6, font={**theme.FONT, "color": label["colour"]}, **cell)
        fig.update_annotations(font=theme.FONT)
        fig.update_layout(title=title, height=340 * rows + 80,  # room for the panels' two-line titles
                          margin={"l": 10, "r": 10, "t": 120, "b": 10})
    fig.update_xaxes(title=t("results.epoch"), dtick=1 if last < 10 else None, rangemode="nonnegative")
    if metric == "accuracy":
        fig.update_yaxes(tickformat=".1~%")
    return fig.update_layout(font=theme.FONT, title_font=theme.TITLE_FONT)
