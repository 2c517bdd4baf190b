"""The inputs that pages drawing no figure share too: translated option names, a photo upload
with the app's limit said in the user's language, Predict's photo size. Nothing here imports
pages/_plotly.py (pandas and pyarrow with it, ~0.25 s): a deep link to Predict or Inside, or Predict
as a class's first page after Home, does not wait for them (tests/test_pages_plotly.py)."""
from __future__ import annotations

import json

import streamlit as st

from core.data.images import MAX_FILE_MB, BadImage, open_image
from pages._i18n import t

PHOTO = 240  # px: Predict's photo, small beside the verdicts; decoded about that large (open_image's fit)


def names(prefix: str, options):
    """A format_func naming each option by its catalog key `prefix.option`, translated now:
    Streamlit may call it later, outside this run and its language."""
    return {option: t(f"{prefix}.{option}") for option in options}.get


def dropzone_limit() -> None:
    """Streamlit's dropzone says "200MB per file" (its own upload limit, in English) under our
    translated label; this page's CSS puts our limit there instead, in the user's language."""
    note = json.dumps(t("components.dropzone", mb=MAX_FILE_MB), ensure_ascii=False)  # a quoted CSS string
    st.html(f"<style>[data-testid=stFileUploaderDropzoneInstructions] > * {{display: none}}"
            f"[data-testid=stFileUploaderDropzoneInstructions]::after {{content: {note}}}</style>")


def photo_upload(key: str, missing: str):
    """An uploaded image as PIL, or None with one translated message saying why: `missing` (a
    catalog key) while nothing is uploaded, the reason when the file is refused (never both)."""
    upload = st.file_uploader(t("components.upload", mb=MAX_FILE_MB), key=key)
    dropzone_limit()
    if upload is None:
        st.info(t(missing))
        return None
    try:
        return open_image(upload.getvalue())
    except BadImage as error:
        st.error(t(f"components.bad_image.{error.code}", mb=MAX_FILE_MB))
        return None
