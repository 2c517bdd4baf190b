"""Data augmentation (section 5.2.5, listing 5.11): the book's parameters as controls, and a
grid of random versions made by core.data.augment: the matrices training draws from the seed,
resampled in numpy as training's op does (no TensorFlow or Keras is imported here)."""
import dataclasses

import streamlit as st

from core import recipes
from core.data import augment, folders
from core.data.images import open_image, prepare_image
from core.recipes import BOOK_AUGMENTATION, Augmentation
from pages import _inputs as inputs
from pages import _share as share
from pages._i18n import t

SIDE = recipes.get("scratch_augmented").input_shape[0]  # what training augments
FILL_MODES = ("nearest", "reflect", "wrap", "constant")
RANGES = {  # field -> (min, max, step), in the book's units
    "rotation_range": (0.0, 180.0, 5.0),
    "width_shift_range": (0.0, 0.5, 0.05),
    "height_shift_range": (0.0, 0.5, 0.05),
    "shear_range": (0.0, 45.0, 0.1),
    "zoom_range": (0.0, 0.5, 0.05),
}
FIELDS = [field.name for field in dataclasses.fields(Augmentation)]
preview = st.cache_data(augment.preview, show_spinner=False)


def book_values() -> None:
    for name in FIELDS:
        st.session_state[f"augmentation.{name}"] = getattr(BOOK_AUGMENTATION, name)


st.title(t("augmentation.title"))
st.markdown(t("augmentation.intro"))

controls, pictures = st.columns([1, 2], gap="large")
with controls:
    for name, (low, high, step) in RANGES.items():
        st.slider(t(f"augmentation.{name}"), low, high, getattr(BOOK_AUGMENTATION, name), step=step,
                  key=f"augmentation.{name}", bind="query-params")  # the book's value is the default a link omits
    st.checkbox(t("augmentation.horizontal_flip"), BOOK_AUGMENTATION.horizontal_flip,
                key="augmentation.horizontal_flip", bind="query-params")
    st.selectbox(t("augmentation.fill_mode"), FILL_MODES, FILL_MODES.index(BOOK_AUGMENTATION.fill_mode),
                 key="augmentation.fill_mode", bind="query-params")
    st.button(t("augmentation.book_values"), on_click=book_values, key="augmentation.reset")
spec = Augmentation(**{name: st.session_state[f"augmentation.{name}"] for name in FIELDS})

with pictures:
    photos = [sample.path for sample in folders.sample_photos()]
    sources = ("sample", "generated", "upload") if photos else ("generated", "upload")
    source = share.choice(t("augmentation.source"), sources, default=sources[0], key="augmentation.source",
                          format_func=inputs.names("augmentation.source", sources))
    photo = None
    if source == "sample":
        path = st.selectbox(t("augmentation.photo"), photos, format_func=lambda p: p.name,
                            key="augmentation.photo", bind="query-params")
        photo = open_image(path)
    elif source == "upload":
        photo = inputs.photo_upload("augmentation.upload", "augmentation.upload_missing")
    picture = prepare_image(photo, (SIDE, SIDE)).astype("uint8") if photo is not None else augment.demo_picture(SIDE)

    original, settings = st.columns([1, 2])
    original.image(picture, caption=t("augmentation.original"), width="stretch")
    count = settings.slider(t("augmentation.count"), 4, 16, 8, step=4, key="augmentation.count", bind="query-params")
    seed = settings.number_input(t("augmentation.seed"), 0, 10_000, 0, key="augmentation.seed", bind="query-params")
    with st.spinner(t("augmentation.working")):
        versions, parts = preview(picture, spec, count, int(seed))
    for start in range(0, count, 4):
        for column, number in zip(st.columns(4), range(start, start + 4)):
            drawn = parts[number]
            flipped = t("augmentation.flipped") if drawn["flipped"] else ""
            column.image(versions[number], caption=f"#{number + 1} " + t("augmentation.parts", **drawn, flip=flipped),
                         width="stretch")
    st.caption(t("augmentation.parts_legend"))

st.subheader(t("augmentation.code"))
book, keras3 = st.columns(2)
with book:
    st.markdown(t("augmentation.book_code"))
    st.code(augment.book_code(spec), wrap_lines=True)
with keras3:
    st.markdown(t("augmentation.keras3_code"))
    st.code(augment.keras3_code(spec), wrap_lines=True)
st.info(t("augmentation.shear_note", shear=spec.shear_range, factor=augment.factors(spec)["shear"]))
st.caption(t("augmentation.same_code"))
st.caption(t("credit.data"))
