"""The results pages in chromium: a generated photo judged on Predict, curves drawn on Compare.
The app serves the repository's real trained/; while the shipped models are still training,
the Predict check skips with the reason."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from core.artifacts import TRAINED_DIR, list_runs
from core.recipes import CAT_DOG_IDS
from pages.strings import CATALOG

pytestmark = pytest.mark.browser
SHOTS = "/tmp"


def open_page(page, app_url: str, title_key: str) -> None:
    """Through the sidebar: st.navigation's pages exist once app.py has run (a deep link in a
    fresh session reaches the bare pages/ file instead)."""
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
    ready = [info.name for info in list_runs(TRAINED_DIR) if info.ok and info.recipe in CAT_DOG_IDS]
    if not ready:
        pytest.skip(f"no usable cat/dog model in {TRAINED_DIR} yet (the shipped models are still training)")
    open_page(page, app_url, "nav.predict")
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": generated_photo()}])
    verdict = page.locator("h3").filter(has_text=re.compile(r"\d+\.\d%")).first
    verdict.wait_for(timeout=60_000)
    probability = float(re.search(r"(\d+\.\d)%", verdict.inner_text()).group(1))
    assert 50.0 <= probability <= 100.0  # the winner's probability
    page.screenshot(path=f"{SHOTS}/predict_browser.png", full_page=True)


def test_compare_draws_the_curves(app_url, page):
    open_page(page, app_url, "nav.compare")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let plotly finish drawing the traces
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() > 0  # lines, not just axes
    page.screenshot(path=f"{SHOTS}/compare_browser.png", full_page=True)
