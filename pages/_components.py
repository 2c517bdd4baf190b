"""Widgets and figures the explainer pages share, in the colour language of pages/_theme.py (the
inputs of pages that draw no figure are in pages/_inputs.py)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from core.data.images import prepare_image
from core.explainers import mechanics
from core.explainers.inside import diverging
from pages import _share as share
from pages import _theme as theme
from pages._i18n import t
from pages._inputs import names, photo_upload
from pages._plotly import go

SWATCHES = {"input": ("■", theme.BLUE), "kernel": ("■", theme.ORANGE), "output": ("■", theme.TEAL),
            "window": ("□", theme.INK), "padding": ("▨", theme.GREY), "dropped": ("■", theme.RED)}
PHOTO_SIDE = 48  # uploaded photos are resized to this, so single windows stay visible
FEATURE_MAP_PX = 256  # a feature map's picture, drawn in blocks of pixels at about this size
TICK_MARGIN = 30  # px beside and below a small grid for its tick labels
DEFAULT_GRID = np.array([  # a small hand-typed "7" (figure 5.1's idea, on a grid one can edit)
    [0, 0, 0, 0, 0, 0, 0],
    [0, 9, 9, 9, 9, 9, 0],
    [0, 0, 0, 0, 0, 9, 0],
    [0, 0, 0, 0, 9, 0, 0],
    [0, 0, 0, 9, 0, 0, 0],
    [0, 0, 9, 0, 0, 0, 0],
    [0, 0, 9, 0, 0, 0, 0],
], dtype=float)


# --- figures -------------------------------------------------------------------------------


def _label(value: float) -> str:
    if np.isnan(value):
        return ""
    value = float(value) + 0.0  # no "-0"
    if value.is_integer() or abs(value) >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}"


def _rect(x0, x1, y0, y1) -> dict:
    return dict(type="rect", x0=x0 - 0.5, x1=x1 - 0.5, y0=y0 - 0.5, y1=y1 - 0.5)


def grid(values, scale, *, title: str = "", pads=((0, 0), (0, 0)), window=None, cell=None,
         dropped=((), ()), numbers: bool | None = None, zmid=None, zrange=None,
         height: int = 380) -> go.Figure:
    """An H x W array as a heatmap of cells. `pads` are drawn as a hatched ring (TF's amounts,
    so an odd total shows the extra row at the bottom); `window` (a mechanics.Window) and
    `cell` (row, col) are outlined in the accent; `dropped` (rows, cols) are shaded red.
    `zrange` (low, high) fixes the colours, so figures that share it can be compared."""
    values = np.asarray(values, dtype=float)
    rows, cols = values.shape
    (top, bottom), (left, right) = pads
    shown = np.pad(values, pads, constant_values=np.nan)
    numbers = shown.size <= 144 if numbers is None else numbers
    traces = [go.Heatmap(
        z=shown, x=np.arange(-left, cols + right), y=np.arange(-top, rows + bottom),
        colorscale=scale, zmid=None if zrange else zmid, zmin=zrange[0] if zrange else None,
        zmax=zrange[1] if zrange else None, showscale=False, xgap=1, ygap=1,
        text=[[_label(v) for v in row] for row in shown] if numbers else None,
        texttemplate="%{text}" if numbers else None, textfont=theme.CELL_FONT,
        hovertemplate="(%{y}, %{x}) %{z:.3g}<extra></extra>")]
    bands = [(-left, cols + right, -top, 0), (-left, cols + right, rows, rows + bottom),
             (-left, 0, 0, rows), (cols, cols + right, 0, rows)]
    xs, ys = [], []
    for x0, x1, y0, y1 in bands:
        if x1 > x0 and y1 > y0:
            xs += [x0 - 0.5, x1 - 0.5, x1 - 0.5, x0 - 0.5, x0 - 0.5, None]
            ys += [y0 - 0.5, y0 - 0.5, y1 - 0.5, y1 - 0.5, y0 - 0.5, None]
    if xs:
        traces.append(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", line=dict(width=0),
                                 fillpattern=dict(shape="/", fgcolor=theme.GREY, bgcolor=theme.PALE),
                                 hoverinfo="skip", showlegend=False))
    red = dict(fillcolor=theme.RED, opacity=0.35, line=dict(width=0))
    shapes = [dict(_rect(-left, cols + right, r, r + 1), **red) for r in dropped[0]]
    shapes += [dict(_rect(c, c + 1, -top, rows + bottom), **red) for c in dropped[1]]
    outline = dict(line=dict(color=theme.INK, width=5))
    if window is not None:
        shapes.append(dict(_rect(window.left, window.left + window.width,
                                 window.top, window.top + window.height), **outline))
    if cell is not None:
        shapes.append(dict(_rect(cell[1], cell[1] + 1, cell[0], cell[0] + 1), **outline))
    small = max(shown.shape) <= 12
    # fixed margins with room for the tick labels (two digits and a minus): automargin would make
    # plotly.js measure them and lay the figure out again, on every slider step
    ticks = TICK_MARGIN if small else 0
    axis = dict(showgrid=False, zeroline=False, showticklabels=small, dtick=1, constrain="domain",
                tickfont=theme.CELL_FONT)
    # one constructor call: plotly validates each later update_layout/add_shape again, and a step
    # of the slider redraws up to six of these figures
    return go.Figure(traces, layout=dict(
        title=dict(text=title, **theme.HEADING), height=height, font=theme.FONT,
        margin=dict(l=10 + ticks, r=10, t=50 if title else 10, b=10 + ticks), plot_bgcolor=theme.WHITE, shapes=shapes,
        xaxis=axis, yaxis=dict(axis, autorange="reversed", scaleanchor="x")))


def feature_maps(maps: list[tuple[str, np.ndarray]], columns: int = 4) -> None:
    """Many feature maps side by side, the depth axis of a convolution's output: pictures, not
    charts, as a dozen plotly heatmaps took a first visit's browser most of a second to draw."""
    for start in range(0, len(maps), columns):
        for column, (title, values) in zip(st.columns(columns), maps[start:start + columns]):
            column.markdown(f"**{title}**")
            column.image(diverging(values, theme.OUTPUT, FEATURE_MAP_PX), width="stretch")


def show(fig: go.Figure, key: str | None = None) -> None:
    """The figure as pages/_theme.py styles it, without Streamlit's theme: applying that in the
    browser took about 150 ms of every slider step's redraw."""
    st.plotly_chart(fig, key=key, config={"displayModeBar": False}, theme=None)


def legend(*items: str) -> None:
    """One line naming the colours a figure uses, from the shared colour language."""
    parts = [f'<span style="color:{SWATCHES[i][1]};font-size:1.3em">{SWATCHES[i][0]}</span> '
             f'{t(f"components.legend.{i}")}' for i in items]
    st.markdown(" &nbsp; ".join(parts), unsafe_allow_html=True)


# --- inputs --------------------------------------------------------------------------------


def input_picker(key: str) -> np.ndarray:
    """A 2-D input: a sample digit, one channel of an uploaded photo, or an editable grid."""
    sources = ("digit", "photo", "grid")
    source = share.choice(t("components.source"), sources, default="digit", key=f"{key}.source",
                          format_func=names("components.source", sources))
    if source == "grid":
        edited = st.data_editor(DEFAULT_GRID, key=f"{key}.grid", hide_index=False)
        return np.nan_to_num(np.asarray(edited, dtype=float))
    if source == "photo":
        channels = ("grey", "R", "G", "B")
        channel = share.choice(t("components.channel"), channels, default="grey", key=f"{key}.channel",
                               format_func=names("components.channel", channels))
        photo = photo_upload(f"{key}.upload", "components.photo_missing")
        if photo is not None:
            pixels = prepare_image(photo, (PHOTO_SIDE, PHOTO_SIDE), grey=channel == "grey")
            return pixels[..., 0 if channel == "grey" else "RGB".index(channel)].astype(float)
    digit = st.select_slider(t("components.digit"), list(range(10)), value=7, key=f"{key}.digit", bind="query-params")
    return mechanics.sample_digit(digit).astype(float)


def kernel_picker(key: str, sizes=(3, 5), default: str = "identity") -> np.ndarray:
    """A kernel: a preset, then editable cell by cell."""
    size = sizes[0] if len(sizes) == 1 else share.choice(
        t("components.window"), sizes, default=sizes[0], key=f"{key}.size", format_func=lambda s: f"{s}×{s}")
    presets = [name for name, kernel in mechanics.KERNEL_PRESETS.items() if kernel.shape[0] == size]
    name = st.selectbox(t("components.preset"), presets, key=f"{key}.preset.{size}",
                        index=presets.index(default) if default in presets else 0,
                        format_func=names("components.kernel", presets), bind="query-params")
    edited = st.data_editor(np.array(mechanics.KERNEL_PRESETS[name]), key=f"{key}.kernel.{name}",
                            column_config={str(i): st.column_config.NumberColumn(format="%.3g")
                                           for i in range(size)})
    return np.nan_to_num(np.asarray(edited, dtype=float))


def strongest(values) -> tuple[int, int]:
    """The cell where |values| peaks: a step worth starting on, rather than an empty corner."""
    row, col = np.unravel_index(np.abs(np.asarray(values)).argmax(), np.shape(values))
    return int(row), int(col)


def stepper(key: str, shape: tuple[int, int], draw, start: tuple[int, int] = (0, 0)) -> None:
    """A slider over the output cells, in the order the op slides its window, and a play switch
    that advances it; `draw(row, col)` draws one step (rerun alone, as a fragment, while playing)."""
    rows, cols = shape
    count, step_key = rows * cols, f"{key}.step"
    st.session_state[step_key] = min(st.session_state.get(step_key, start[0] * cols + start[1] + 1), count)
    playing = st.toggle(t("components.play"), key=f"{key}.play")

    @st.fragment(run_every=0.8 if playing else None)
    def frame():
        if playing:
            st.session_state[step_key] = st.session_state[step_key] % count + 1
        step = st.slider(t("components.step", count=count), 1, count, key=step_key, bind="query-params")
        draw(*divmod(step - 1, cols))

    frame()
