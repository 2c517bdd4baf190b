"""Grad-CAM on the pages (book 5.4.3): one model's heatmap over a photo, and Predict's "why?"
switch under each verdict. The numbers come from core.serving.explain (no TensorFlow)."""
from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from core.artifacts.rundir import RunInfo
from core.explainers.inside import overlay
from core.serving import explain
from core.serving.inference import ModelUnavailable
from pages._i18n import explain as say
from pages._i18n import t
from pages._results import display_names, label

WIDTH = 240  # px: the heatmap under a verdict, as small as Predict's photo
LARGEST = 640  # px: an overlay's longest side (a phone's photo is not blended, sent and shrunk at full size)


def explainer(info: RunInfo) -> explain.Explainer:
    """The cached Explainer of a usable run (raises ModelUnavailable when it is not)."""
    if not info.ok:
        raise ModelUnavailable(info.problem)
    return explain.explainer(info.path)


def gradcam(info: RunInfo, image: Image.Image, class_index: int | None = None,
            opacity: float = 0.4) -> tuple[Image.Image | None, str]:
    """The overlay of one model's Grad-CAM (for its predicted class unless given) and its
    caption; or None and why not, translated."""
    try:
        model = explainer(info)
    except ModelUnavailable as error:
        return None, t("inside.unavailable", reason=say(error))
    if model.gradcam_problem:
        return None, t("inside.no_gradcam", reason=say(model.gradcam_problem))
    inside = model.inside(image, feature_maps=False)
    index = int(np.argmax(inside.probabilities)) if class_index is None else class_index
    names = display_names(model.model.display_names)
    caption = t("inside.gradcam.caption", model=label(info), name=names[index], p=inside.probabilities[index],
                layer=model.last_conv.name)
    shown = image.copy()
    shown.thumbnail((LARGEST, LARGEST))
    return overlay(shown, inside.heatmap(index), opacity), caption


def switch(column, info: RunInfo, image: Image.Image, key: str) -> None:
    """Predict's "why?": a switch in `column`; when on, the heatmap of the verdict below."""
    if column.toggle(t("inside.why"), key=f"why_{key}"):
        picture, caption = gradcam(info, image)
        if picture is None:
            st.info(caption)
        else:
            st.image(picture, width=WIDTH, caption=caption)
