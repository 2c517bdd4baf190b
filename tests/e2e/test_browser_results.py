"""The results pages in chromium: a generated photo judged on Predict, curves drawn on Compare.
The app serves the repository's real trained/, which ships every model (test_trained holds
that), so a missing cat/dog model fails here too."""
from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from core.artifacts.rundir import list_runs
from core.datasets import CATS_DOGS
from core.paths import TRAINED_DIR
from pages.strings import CATALOG

SHOTS = "/tmp"


def open_page(page, app_url: str, title_key: str) -> None:
    """Through the sidebar, as a student would (deep links work too: see pages/__init__.py)."""
    page.goto(app_url)
    page.get_by_role("heading", name=CATALOG["en"]["home.title"]).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_text(CATALOG["en"][title_key]).click()


def generated_photo() -> bytes:
    rng = np.random.default_rng(1)
    pixels = rng.normal(110, 20, (240, 320, 3))
    pixels[60:180, 100:220] = [200, 80, 60]
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_predict_reads_a_probability(app_url, page):
    ready = [info.name for info in list_runs(TRAINED_DIR) if info.ok and info.dataset == CATS_DOGS.id]
    assert ready, f"no usable cat/dog model in {TRAINED_DIR}: the shipped models are missing"
    open_page(page, app_url, "predict.nav")
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": generated_photo()}])
    verdict = page.locator("h3").filter(has_text=re.compile(r"\d+\.\d%")).first
    verdict.wait_for(timeout=60_000)
    probability = float(re.search(r"(\d+\.\d)%", verdict.inner_text()).group(1))
    assert 50.0 <= probability <= 100.0  # the winner's probability
    page.screenshot(path=f"{SHOTS}/predict_browser.png", full_page=True)


def test_compare_draws_the_curves(app_url, page):
    open_page(page, app_url, "compare.nav")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let plotly finish drawing the traces
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() > 0  # lines, not just axes
    page.screenshot(path=f"{SHOTS}/compare_browser.png", full_page=True)


def test_three_classmates_at_once_all_get_verdicts(app_url, browser):
    """Three sessions upload at the same moment; each gets every cat/dog model's verdict."""
    ready = [info for info in list_runs(TRAINED_DIR) if info.ok and info.dataset == CATS_DOGS.id]
    assert ready, f"no usable cat/dog model in {TRAINED_DIR}: the shipped models are missing"
    contexts = [browser.new_context(viewport={"width": 1400, "height": 2400}) for _ in range(3)]
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.goto(f"{app_url}/predict")
            page.get_by_test_id("stFileUploaderDropzone").first.wait_for(timeout=60_000)
        for page in pages:  # all three uploads go out before any answer is awaited
            page.locator('input[type="file"]').first.set_input_files(
                files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": generated_photo()}])
        for page in pages:
            verdicts = page.locator("h3").filter(has_text=re.compile(r"\d+\.\d%"))
            verdicts.nth(len(ready) - 1).wait_for(timeout=60_000)
            assert verdicts.count() >= len(ready)
    finally:
        for context in contexts:
            context.close()
