"""Max pooling (section 5.1.2) beside average pooling and a strided convolution, all three
halving the same feature map: the book's case for keeping the maximal presence of a feature.
numpy only (core.explainers.mechanics)."""
import streamlit as st

from core.explainers import mechanics
from pages import _components as ui
from pages import _theme as theme
from pages._i18n import t

st.title(t("pooling.title"))
st.markdown(t("pooling.intro"))

left, right = st.columns(2)
with left:
    st.subheader(t("pooling.input"))
    image = ui.input_picker("pooling")
with right:
    st.subheader(t("pooling.filter"))
    kernel = ui.kernel_picker("pooling", sizes=(3,), default="sobel_x")

features = mechanics.feature_map(image, kernel, 1, "same")  # dense map: unstrided conv + ReLU
biggest = mechanics.max_pool2d(features, 2)
mean = mechanics.average_pool2d(features, 2)
strided = mechanics.feature_map(image, kernel, 2, "same")  # sparse windows of the input
peak = features.max() or 1.0
shared = (-peak, peak)  # one colour range for the map and all three outputs: presence compares
st.markdown(t("pooling.shapes", rows=features.shape[0], cols=features.shape[1],
              pooled=f"{biggest.shape[0]} × {biggest.shape[1]}",
              strided=f"{strided.shape[0]} × {strided.shape[1]}"))
ui.legend("input", "padding", "output", "window")


def draw(row: int, col: int) -> None:
    pool_window = mechanics.window_geometry(features.shape, 2, 2, "valid", row, col)
    conv_window = mechanics.window_geometry(image.shape, kernel.shape, 2, "same", row, col)
    top = st.columns(2)
    with top[0]:
        ui.show(ui.grid(image, theme.INPUT, title=t("pooling.fig.input"), window=conv_window,
                        pads=conv_window.pads, numbers=False), key="pooling.input_fig")
    with top[1]:
        ui.show(ui.grid(features, theme.OUTPUT, title=t("pooling.fig.features"), zrange=shared,
                        window=pool_window, numbers=False), key="pooling.features_fig")
    bottom = st.columns(3)
    for column, (values, name) in zip(bottom, [(biggest, "max"), (mean, "average"),
                                               (strided, "strided")]):
        with column:
            ui.show(ui.grid(values, theme.OUTPUT, title=t(f"pooling.fig.{name}"), zrange=shared,
                            cell=(row, col), numbers=False, height=330), key=f"pooling.{name}_fig")
            st.metric(t(f"pooling.value.{name}"), f"{values[row, col]:.4g}")


ui.stepper("pooling", biggest.shape, draw, start=ui.strongest(biggest))

st.subheader(t("pooling.why"))
st.markdown(t("pooling.argument"))
