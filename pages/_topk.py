"""Predict on data sets beyond cats and dogs (CCSN's cloud genera, a user's own folders): which
data set's models to ask, and every model's top-k answers side by side, as bars named in the UI's
language (the display names each model.onnx carries)."""
from __future__ import annotations

import streamlit as st

from core.datasets import CATS_DOGS, MNIST
from core.serving.inference import ModelUnavailable
from pages._i18n import t
from pages._results import display_names, label, load, models
from pages.strings import CATALOG

K = 3  # answers shown per model
PER_ROW = 3  # models side by side
CHAPTER = (MNIST.id, CATS_DOGS.id)


def dataset_name(dataset: str) -> str:
    """A data set as the selectors name it: the chapter's and the shipped ones translated, a
    user's folder by its name."""
    return t(f"topk.dataset.{dataset}") if f"topk.dataset.{dataset}" in CATALOG["en"] else dataset


def photo_datasets() -> list[str]:
    """The photo data sets that have models here: cats and dogs first, then the others by name."""
    shipped, own = models()
    found = {info.dataset for info in shipped + own if info.dataset and info.dataset != MNIST.id}
    return [CATS_DOGS.id] + sorted(found - {CATS_DOGS.id})


def choose_dataset(key: str = "predict_dataset") -> str:
    """Cats and dogs, or (a selector, only where another data set has models) the one chosen."""
    found = photo_datasets()
    if len(found) == 1:
        return CATS_DOGS.id
    return st.segmented_control(t("topk.dataset"), found, default=CATS_DOGS.id, key=key, required=True,
                                format_func=dataset_name)


def runs_of(group: str) -> tuple[list, list]:
    """(shipped, own) models of a selector's choice: cats and dogs stands for the chapter's data
    sets (its story runs from MNIST to fine-tuning), any other for its own."""
    if group != CATS_DOGS.id:
        return models(group)
    shipped, own = models()
    return ([i for i in shipped if i.dataset in CHAPTER], [i for i in own if i.dataset in CHAPTER])


def verdicts(infos: list, image) -> None:
    """Each model's top K labels and probabilities, side by side, PER_ROW to a row."""
    for start in range(0, len(infos), PER_ROW):
        for column, info in zip(st.columns(PER_ROW), infos[start:start + PER_ROW]):
            with column.container(border=True):
                st.markdown(f"**{label(info)}**")
                try:
                    model = load(info)
                except ModelUnavailable as error:
                    st.warning(t("predict.unavailable", reason=str(error)))
                    continue
                prediction = model.predict(image)
                names = display_names(model.display_names)
                best = prediction.top(K)
                for rank, i in enumerate(best):  # a bar under each name: a narrow card cuts no label
                    name = f"**{names[i]}**" if rank == 0 else names[i]
                    st.progress(float(prediction.probabilities[i]), text=f"{name} · {prediction.probabilities[i]:.1%}")
                st.caption(t("topk.accuracy", accuracy=model.card.test_accuracy, k=min(K, len(names)),
                             n=len(names)))
