"""Padding and strides (figures 5.5-5.7): the output-size formula with the numbers filled in,
TensorFlow's lop-sided 'same' padding and the pixels a stride never reaches, which most
drawings hide. numpy only (core.explainers.mechanics)."""
import streamlit as st

from core.explainers import mechanics
from pages import _components as ui
from pages import _inputs as inputs
from pages import _share as share
from pages import _theme as theme
from pages._i18n import t

MEAN_KERNEL = {3: "blur", 5: "blur_5x5"}  # each output cell: the mean of its window

st.title(t("padding_stride.title"))
st.markdown(t("padding_stride.intro"))

controls = st.columns([3, 2, 3, 4])  # the padding buttons' labels are the widest ("valid（不填補）")
size = controls[0].slider(t("padding_stride.size"), 5, 12, 8, key="padding_stride.size", bind="query-params")
window = share.choice(t("components.window"), (3, 5), default=3, key="padding_stride.window", place=controls[1],
                      format_func=lambda w: f"{w}×{w}")
stride = controls[2].slider(t("padding_stride.stride"), 1, 3, 1, key="padding_stride.stride", bind="query-params")
padding = share.choice(t("components.padding"), mechanics.PADDINGS, default="valid", key="padding_stride.padding",
                       place=controls[3], format_func=inputs.names("components.padding", mechanics.PADDINGS))

image = mechanics.sample_digit(7, size).astype(float)
kernel = mechanics.KERNEL_PRESETS[MEAN_KERNEL[window]]
output = mechanics.conv2d(image, kernel, stride, padding)
out = output.shape[0]
before, after = mechanics.padding_amounts(size, window, stride, padding)
lost = mechanics.dropped(size, window, stride, padding)

result = st.columns([1, 2])
result[0].metric(t("padding_stride.output"), f"{out} × {out}")
with result[1]:
    for option in mechanics.PADDINGS:
        line = f"`{option}`: {mechanics.output_size_formula(size, window, stride, option)}"
        st.markdown(f"### {line}" if option == padding else line)

if padding == "same":
    st.markdown(t("padding_stride.pads", before=before, after=after))
    if before != after:
        st.warning(t("padding_stride.asymmetric", before=before, after=after))
if lost:
    st.error(t("padding_stride.dropped", indices=", ".join(map(str, lost)), count=len(lost)))
else:
    st.success(t("padding_stride.all_seen"))

ui.legend("input", "padding", "dropped", "window", "output")


def draw(row: int, col: int) -> None:
    where = mechanics.window_geometry(image.shape, window, stride, padding, row, col)
    figures = st.columns([3, 2])
    with figures[0]:
        ui.show(ui.grid(image, theme.INPUT, title=t("padding_stride.fig.input", size=size),
                        pads=where.pads, window=where, dropped=(lost, lost),
                        height=520), key="padding_stride.input_fig")
    with figures[1]:
        ui.show(ui.grid(output, theme.OUTPUT, title=t("padding_stride.fig.output", size=out), zmid=0,
                        cell=(row, col), height=400), key="padding_stride.output_fig")
    st.caption(t("padding_stride.window_at", row=row, col=col, top=where.top, left=where.left))


ui.stepper("padding_stride", output.shape, draw)
st.info(t("padding_stride.book"))
