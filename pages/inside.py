"""Inside the model (book section 5.4): what a trained model does with one image. Each conv and
pooling layer's feature maps (5.4.1), the patterns its filters answer to (5.4.2, computed once
by `python -m core patterns`) and Grad-CAM heatmaps side by side for several models (5.4.3).
No TensorFlow here: onnxruntime and numpy (core.serving.explain)."""
import base64

import streamlit as st
from PIL import Image

from core.data.folders import sample_photos
from core.explainers import mechanics
from core.explainers.inside import channel_grid, channel_view, png, read_patterns
from core.serving.inference import ModelUnavailable
from pages import _inputs as inputs
from pages import _samples, _why
from pages._i18n import explain as say
from pages._i18n import t
from pages._results import display_names, label, models

COLUMNS = 16  # channels a row in a layer's grid
SHOWN = 64  # channels drawn per layer (Lite0's top has 1280)
WIDEST = 1200  # px: a grid is drawn no wider than the page shows it (bigger channels are shrunk)


def digits() -> dict:
    """MNIST's samples: drawn digits (photo data sets offer their samples/<dataset>/ photos)."""
    return {t("inside.sample.digit", d=d): Image.fromarray(mechanics.sample_digit(d)) for d in (3, 7)}


@st.cache_data(max_entries=128, show_spinner=False)
def grid(key: str, layer: str, _activation) -> str:
    """One layer's grid as a PNG data URI, made once per model and input (`key`, Inside.key) and
    layer, so reruns on the same image (a channel picked, a slider moved) make none. Inline, it
    comes with the page's message, not by a second request that waits while the server is busy
    (on a fresh server, building the other models' sessions for the Grad-CAM tab)."""
    return "data:image/png;base64," + base64.b64encode(png(channel_grid(_activation, COLUMNS, SHOWN,
                                                                        widest=WIDEST))).decode()


st.title(t("inside.title"))
st.markdown(t("inside.intro"))
shipped, own = models()
every = shipped + own
if not every:
    st.info(t("inside.no_models"))
    st.stop()
by_path = {str(info.path): info for info in every}
labels = {path: label(info) for path, info in by_path.items()}  # format_funcs get plain lookups, translated now
pick, source = st.columns(2)
info = by_path[pick.selectbox(t("inside.model"), list(by_path), key="inside_model", format_func=labels.get)]
dataset = info.card.dataset if info.card else "cats_and_dogs"
kind = dataset if dataset in ("cats_and_dogs", "mnist") else "photos"  # any labelled folder: skies first
with source:
    ways = ("sample", "upload") if dataset == "mnist" or sample_photos(dataset) else ("upload",)
    way = st.segmented_control(t("inside.source"), ways, default=ways[0], required=True, key="inside_source",
                               format_func=inputs.names("inside.source", ways))
    if way == "upload":
        image = inputs.photo_upload("inside_upload", "inside.waiting")
    elif dataset == "mnist":
        offered = digits()
        image = offered[st.selectbox(t("inside.sample"), list(offered), key="inside_sample")]
    else:  # the data set's own shipped photos: a cloud model is shown skies, not cats
        image = _samples.pick([dataset], f"inside_sample_{dataset}")
        if image is None:  # the page below waits for a photo: say so, as the upload does
            st.info(t("inside.pick_sample"))
if image is None:
    st.stop()
try:
    model = _why.explainer(info)
except ModelUnavailable as error:
    st.warning(t("inside.unavailable", reason=say(error)))
    st.stop()

maps_tab, patterns_tab, heat_tab = st.tabs([t("inside.tab.maps"), t("inside.tab.patterns"), t("inside.tab.gradcam")])

with maps_tab:
    inside = model.inside(image)
    left, right = st.columns([1, 3])
    shown = image.copy()  # a phone's photo is not encoded whole to be shown 200 px wide
    shown.thumbnail((400, 400))
    left.image(shown, width=200, caption=t("inside.input"))
    right.markdown(t("inside.maps.observations", about=t(f"inside.maps.about.{kind}")))
    for layer in model.layers:
        activation = inside.activations[layer.name]
        height, width, channels = activation.shape
        blank = int((activation.reshape(-1, channels).std(axis=0) == 0).sum())
        st.markdown(t("inside.maps.layer", name=layer.name, h=height, w=width, c=channels, blank=blank,
                      shown=min(channels, SHOWN)))
        st.image(grid(inside.key, layer.name, activation), width="stretch")
    st.subheader(t("inside.maps.one"))
    names = [layer.name for layer in model.layers]
    chosen, channel_col = st.columns(2)
    name = chosen.selectbox(t("inside.maps.pick_layer"), names, key=f"inside_layer_{info.path}")
    activation = inside.activations[name]
    channel = channel_col.number_input(t("inside.maps.pick_channel", last=activation.shape[-1] - 1), 0,
                                       activation.shape[-1] - 1, 0, key=f"inside_channel_{name}")
    st.image(channel_view(activation[..., int(channel)]), caption=t("inside.maps.channel", name=name, k=int(channel)))

with patterns_tab:
    st.markdown(t("inside.patterns.intro"))
    patterns = read_patterns(info.path)
    if patterns is None:
        st.info(t("inside.patterns.missing", command=f"python -m core patterns {info.path}"))
    else:
        for row in patterns.layers:
            st.markdown(t("inside.patterns.layer", name=row.name, n=len(row.filters), steps=patterns.steps,
                          seed=patterns.seed))
            st.image(row.image, width="stretch")

with heat_tab:
    st.markdown(t("inside.gradcam.intro", ask=t(f"inside.gradcam.ask.{kind}")))
    same = [i for i in every if i.card and i.card.dataset == dataset]
    paths = {str(i.path): i for i in same}
    picked = st.multiselect(t("inside.gradcam.models"), list(paths), default=list(paths)[:5],
                            key=f"inside_models_{dataset}", format_func=labels.get)
    names = display_names(model.model.display_names)
    classes = {"best": t("inside.gradcam.predicted"), **dict(enumerate(names))}
    wanted = st.selectbox(t("inside.gradcam.class"), list(classes), key=f"inside_class_{dataset}",
                          format_func=classes.get)
    opacity = st.slider(t("inside.gradcam.opacity"), 0.0, 1.0, 0.4, 0.05, key="inside_opacity")
    columns = st.columns(max(1, min(len(picked), 5)))
    for k, path in enumerate(picked):
        picture, caption = _why.gradcam(paths[path], image, None if wanted == "best" else wanted, opacity)
        with columns[k % len(columns)]:
            if picture is None:
                st.info(caption)
            else:
                st.image(picture, width="stretch", caption=caption)
