"""Uploads at the size limit, in a real browser. Streamlit refuses a file over its own limit
before the page sees it, with only a red "!" on the file chip, so its limit sits above the
app's (core.data.images.MAX_FILE_MB): a file of exactly the app's limit is judged, and one byte
more gets the translated message, on a projector's first screen."""
from __future__ import annotations

import re

import pytest

from core.artifacts.rundir import models
from core.data.images import MAX_FILE_MB
from pages.strings import CATALOG

pytestmark = pytest.mark.browser
LIMIT = MAX_FILE_MB * 1024 * 1024  # bytes, as Streamlit and open_image count them


def upload(app_url, sized_page, path, lang):
    page = sized_page(1280, 720)
    page.goto(f"{app_url}/predict?lang={lang}")
    page.get_by_test_id("stFileUploaderDropzone").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').first.set_input_files(str(path))
    return page


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_file_over_the_limit_gets_a_visible_translated_message(app_url, sized_page, cat_photo, tmp_path, lang):
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(cat_photo + bytes(LIMIT + 1 - len(cat_photo)))
    page = upload(app_url, sized_page, huge, lang)
    message = page.get_by_test_id("stAlert").filter(
        has_text=CATALOG[lang]["predict.bad.file_too_large"].format(mb=MAX_FILE_MB))
    message.wait_for(timeout=60_000)
    box = message.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 720  # seen without scrolling
    assert page.locator('[class*="st-key-verdict_"]').count() == 0


def test_a_file_of_exactly_the_limit_is_judged(app_url, sized_page, cat_photo, tmp_path):
    assert any(info.ok for info in models("cats_and_dogs")[0]), "no usable cat/dog model in trained/"
    large = tmp_path / "large.jpg"  # a JPEG decoder stops at the end-of-image marker
    large.write_bytes(cat_photo + bytes(LIMIT - len(cat_photo)))
    page = upload(app_url, sized_page, large, "en")
    page.locator("h3").filter(has_text=re.compile(r"\d+\.\d%")).first.wait_for(timeout=60_000)  # a verdict
    assert page.get_by_test_id("stAlertContentError").count() == 0
