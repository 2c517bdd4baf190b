"""The sample photos a page offers beside its upload (samples/<dataset>/, core.data.folders):
a teacher on the projector picks one instead of hunting for a file. A data set's samples appear
wherever its models are shown, once its folder is there."""
from __future__ import annotations

import streamlit as st
from PIL import Image

from core import datasets
from core.data.folders import sample_photos
from core.data.images import open_image
from core.data.labelled import known_name
from pages._i18n import language, t


def _class_name(dataset: str, label: str) -> str:
    known = datasets.DATASETS.get(dataset)
    if known and label in known.classes:
        return known.display_names[language()][known.classes.index(label)]
    return known_name(dataset, label, language())


def pick(dataset_ids, key: str) -> Image.Image | None:
    """A sample of any of these data sets, chosen in a select box (kept in a teacher's link),
    shown with its credit; None while none is chosen or none is shipped."""
    samples = {str(sample.path.relative_to(sample.path.parents[1])): (dataset, sample)
               for dataset in dict.fromkeys(dataset_ids) for sample in sample_photos(dataset)}
    if not samples:
        return None
    names = {key: f"{_class_name(dataset, sample.label)} · {sample.path.stem}" for key, (dataset, sample) in samples.items()}
    chosen = st.selectbox(t("samples.pick"), list(samples), index=None, placeholder=t("samples.placeholder"),
                          format_func=names.get, key=key, bind="query-params")
    if chosen is None:
        return None
    sample = samples[chosen][1]
    st.caption(t("samples.credit", credit=sample.credit))
    return open_image(sample.path)
