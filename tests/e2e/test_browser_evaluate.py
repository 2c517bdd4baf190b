"""Evaluate at a projector's 1280x720, in a real browser: an 11-class model's confusion matrix
names every class on both axes in 繁體中文, its numbers are readable, a click on a cell chooses
it, and judged on its test photos here, the chosen cell's photos are shown."""
from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from core import datasets
from core.data.labelled import KNOWN_NAMES
from pages.strings import CATALOG
from tests.e2e.conftest import _serve
from tests.test_pages_evaluate import make_run

pytestmark = pytest.mark.browser
NAMES = json.loads((KNOWN_NAMES / "ccsn.json").read_text(encoding="utf-8"))
CLASSES = tuple(sorted(NAMES))
CLOUDS = datasets.labelled("clouds", CLASSES, {lang: tuple(NAMES[c][lang] for c in CLASSES) for lang in ("en", "zh-TW")},
                           image_size=(16, 16))


@pytest.fixture
def clouds_url(tmp_path):
    """A server with one user's run of an 11-class model, its test photos and split manifest."""
    rng = np.random.default_rng(0)
    data, files = tmp_path / "data" / "clouds", {}
    for label in CLASSES:
        (data / label).mkdir(parents=True)
        files[label] = []
        for i in range(3):
            Image.fromarray(rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)).save(data / label / f"{i}.png")
            files[label].append(f"{label}/{i}.png")
    confusion = (np.eye(11, dtype=int) * 30 + rng.integers(0, 8, (11, 11))).tolist()
    run = make_run(tmp_path / "runs" / "scratch-clouds-1", CLOUDS, confusion=confusion)
    (run / "split.json").write_text(json.dumps({"root": str(data), "files": {"test": files}}))
    with _serve(tmp_path / "runs", environ={**os.environ, "CONVNET_DATA": str(tmp_path / "data")}) as url:
        yield url


def test_an_11_class_matrix_reads_at_1280_and_a_click_chooses_a_cell(clouds_url, projector):
    strings, names = CATALOG["zh-TW"], CLOUDS.display_names["zh-TW"]
    projector.goto(f"{clouds_url}/evaluate?lang=zh-TW")
    projector.get_by_text("clouds", exact=True).first.click(timeout=60_000)
    # the default data set's matrix shows first: wait for the clouds' own, every name on both axes (none skipped)
    expect(projector.locator(".xtick text")).to_have_text(list(names), timeout=60_000)
    expect(projector.locator(".ytick text")).to_have_text(list(names), timeout=30_000)
    sizes = projector.locator("g.textpoint text, .hm text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 14
    grid = projector.locator(".nsewdrag").first
    grid.scroll_into_view_if_needed()
    cells = grid.bounding_box()
    assert cells["x"] + cells["width"] <= 1280 and cells["height"] <= 720  # the whole matrix in one screen
    projector.mouse.click(cells["x"] + cells["width"] * 4.5 / 11, cells["y"] + cells["height"] * 2.5 / 11)
    chosen = re.compile(strings["evaluate.cell"].format(truth=names[2], answer=names[4], n=r"\d+"))
    cell = projector.get_by_test_id("stSelectbox").filter(has_text=strings["evaluate.choose_cell"]).locator("input")
    expect(cell).to_have_value(chosen, timeout=30_000)
    projector.get_by_text(strings["evaluate.run"].format(n=33)).click()
    projector.get_by_test_id("stImage").first.wait_for(timeout=60_000)  # the worst measured cell's photos
    assert projector.get_by_test_id("stException").count() == 0
