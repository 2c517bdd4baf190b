"""The convolution operation (figures 5.1-5.4): a kernel slides over the input, and each window
gives one output number, the sum of the element-wise products. numpy only (core.explainers.mechanics)."""
import streamlit as st

from core.explainers import mechanics
from pages import _components as ui
from pages import _inputs as inputs
from pages import _share as share
from pages import _theme as theme
from pages._i18n import t

st.title(t("convolution.title"))
st.markdown(t("convolution.intro"))

left, right = st.columns(2)
with left:
    st.subheader(t("convolution.input"))
    image = ui.input_picker("convolution")
with right:
    st.subheader(t("convolution.kernel"))
    kernel = ui.kernel_picker("convolution", default="sobel_x")
    padding = share.choice(t("components.padding"), mechanics.PADDINGS, default="valid", key="convolution.padding",
                           format_func=inputs.names("components.padding", mechanics.PADDINGS))

output = mechanics.conv2d(image, kernel, 1, padding)
out_rows, out_cols = output.shape
formula = mechanics.output_size_formula(image.shape[0], kernel.shape[0], 1, padding)
st.markdown(t("convolution.sizes", rows=image.shape[0], cols=image.shape[1], k=kernel.shape[0],
              out_rows=out_rows, out_cols=out_cols, formula=formula))

st.subheader(t("convolution.steps"))
ui.legend("input", "kernel", "window", "output", "padding")


def draw(row: int, col: int) -> None:
    step = mechanics.window_at(image, kernel, 1, padding, row, col)
    big = st.columns(2)
    with big[0]:
        ui.show(ui.grid(image, theme.INPUT, title=t("convolution.fig.input"), pads=step.window.pads,
                        window=step.window), key="convolution.input_fig")
    with big[1]:
        ui.show(ui.grid(output, theme.OUTPUT, title=t("convolution.fig.output"), zmid=0,
                        cell=(row, col)), key="convolution.output_fig")
    small = st.columns(4)
    for column, (values, scale, zrange, title) in zip(small, [
        (step.patch, theme.INPUT, (image.min(), image.max()), "convolution.fig.patch"),
        (kernel, theme.KERNEL, None, "convolution.fig.kernel"),
        (step.products, theme.KERNEL, None, "convolution.fig.products"),
    ]):
        with column:
            ui.show(ui.grid(values, scale, title=t(title), numbers=True, height=260, zmid=0,
                            zrange=zrange), key=f"{title}_fig")
    small[3].metric(t("convolution.sum", row=row, col=col), f"{step.total:.4g}")


ui.stepper("convolution", output.shape, draw, start=ui.strongest(output))

st.subheader(t("convolution.maps"))
st.markdown(t("convolution.maps_text"))
maps = [(t(f"components.kernel.{name}"), mechanics.conv2d(image, preset_kernel, 1, padding))
        for name, preset_kernel in mechanics.KERNEL_PRESETS.items()]
ui.feature_maps(maps)
st.caption(t("convolution.maps_caption", count=len(maps)))
