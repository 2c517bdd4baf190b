"""The digit canvas, behind one function: the page never touches streamlit-drawable-canvas's
API, and a component that cannot load becomes an ImportError the page can explain."""
from __future__ import annotations

import numpy as np
import streamlit as st

from pages._i18n import t

SIZE = 280  # px: ten canvas pixels per MNIST pixel


def draw(key: str, size: int = SIZE) -> np.ndarray | None:
    """A square black canvas with a thick white brush (MNIST's colours), and under it what its
    toolbar's buttons do (their tooltips are the component's, in English only); returns the
    drawing as RGBA pixels, or None before anything is drawn."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as error:  # the component registers itself on import and can fail there
        raise ImportError(f"streamlit-drawable-canvas cannot load: {error}") from error
    result = st_canvas(stroke_width=22, stroke_color="#ffffff", background_color="#000000",
                       width=size, height=size, drawing_mode="freedraw", return_image_data=True, key=key)
    st.caption(t("canvas.hint"))
    return result.image_data
