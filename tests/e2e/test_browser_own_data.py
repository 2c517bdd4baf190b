"""A zip of class folders uploaded in Train live, in a real browser: unpacked into the server's
data root (a temp folder here, never ../shared/data), chosen, and its data check shown with the
photos per class."""
from __future__ import annotations

import io
import os
import zipfile

import numpy as np
import pytest
from PIL import Image

from pages.strings import CATALOG
from tests.e2e.conftest import _serve

pytestmark = pytest.mark.browser
COUNTS = {"cirrus 卷雲": 5, "cumulus": 4, "☁️ stratus": 3}


def jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (6, 6, 3), dtype=np.uint8)).resize((48, 48), Image.Resampling.BICUBIC).save(
        buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def data_root_url(tmp_path):
    """A server whose data root ($CONVNET_DATA) is an empty temp folder."""
    root = tmp_path / "data"
    root.mkdir()
    with _serve(tmp_path / "runs", environ={**os.environ, "CONVNET_DATA": str(root)}) as url:
        yield url, root


@pytest.mark.parametrize("lang", ["zh-TW"])
def test_a_zip_of_class_folders_is_unpacked_and_its_classes_counted(data_root_url, page, tmp_path, lang):
    url, root = data_root_url
    archive = tmp_path / "My sky.zip"
    seed = 0
    with zipfile.ZipFile(archive, "w") as z:
        for label, count in COUNTS.items():
            for i in range(count):
                z.writestr(f"My sky/{label}/{i}.jpg", jpeg(seed))
                seed += 1
        z.writestr("My sky/readme.txt", "not a photo")
    strings = CATALOG[lang]
    page.goto(f"{url}/train?lang={lang}")
    selects = page.get_by_test_id("stSelectbox")
    selects.first.wait_for(timeout=60_000)
    selects.first.click()
    page.get_by_role("option", name=strings["recipe.scratch"], exact=True).click()
    data = page.get_by_test_id("stSelectbox").filter(has_text=strings["datasets.choose"])
    data.wait_for(timeout=30_000)
    data.click()
    page.get_by_role("option", name=strings["datasets.upload_option"]).click()
    page.locator('input[type="file"]').first.set_input_files(str(archive))
    page.get_by_text(strings["datasets.unpacked"].split("**")[0]).wait_for(timeout=90_000)
    assert sorted(p.name for p in root.iterdir()) == ["My_sky"]  # no temp folder left
    bars = page.locator(".bartext")
    bars.first.wait_for(timeout=60_000)
    assert sorted(int(text) for text in bars.all_text_contents()) == sorted(COUNTS.values())
    metrics = page.get_by_test_id("stMetricValue")
    metrics.nth(1).wait_for(timeout=30_000)  # drawn beside the chart, not always in the same frame
    assert metrics.all_inner_texts()[:2] == [str(sum(COUNTS.values())), str(len(COUNTS))]
    assert page.get_by_test_id("stException").count() == 0
