"""Predict on a projector: right after an upload, every cat/dog model's verdict (label and
probability) is on the first screen without scrolling, one line each in the chapter's order;
at 1280x720 and 1920x1080, in both languages."""
from __future__ import annotations

import re

import pytest

from core.artifacts.rundir import models
from pages.strings import CATALOG

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_every_verdict_is_above_the_fold(app_url, sized_page, cat_photo, width, height, lang):
    shipped, _ = models("cats_and_dogs")  # the chapter's order; the app's runs/ is empty
    usable = [info for info in shipped if info.ok]
    assert usable, "no usable cat/dog model in trained/: the shipped models are missing"
    page = sized_page(width, height)
    page.goto(f"{app_url}/predict?lang={lang}")
    page.get_by_test_id("stFileUploaderDropzone").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": "cat.jpg", "mimeType": "image/jpeg", "buffer": cat_photo}])
    rows = page.locator('[class*="st-key-verdict_"]')
    page.locator(f".st-key-verdict_{len(shipped) - 1}").wait_for(timeout=60_000)
    for i in (i for i, info in enumerate(shipped) if info.ok):
        page.locator(f".st-key-verdict_{i} h3").wait_for(timeout=60_000)

    assert rows.count() == len(shipped)
    tops = []
    for i, info in enumerate(shipped):
        row = page.locator(f".st-key-verdict_{i}")
        assert row.inner_text().startswith(CATALOG[lang][f"recipe.{info.recipe}"])  # chapter order
        if info.ok:
            assert re.search(r"\d+\.\d%", row.locator("h3").inner_text())  # label and probability
        box = row.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= height, (info.recipe, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, (info.recipe, box)
        tops.append(box["y"])
    assert tops == sorted(tops)  # one line each, top to bottom
    assert page.evaluate("() => [...document.querySelectorAll('*')].every(e => e.scrollTop === 0)"
                         " && window.scrollY === 0")  # nothing was scrolled to get there
    page.screenshot(path=f"/tmp/predict_fold_{width}x{height}_{lang}.png")
