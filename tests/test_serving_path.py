"""The serving path stays light: no TensorFlow or Keras on the home, predict, compare, mechanics,
architecture, augmentation and inside-the-model pages, so the app starts fast (checked in a fresh interpreter)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVING_PAGES = ["pages/home.py", "pages/predict.py", "pages/compare.py", "pages/convolution.py",
                 "pages/padding_stride.py", "pages/pooling.py", "pages/architecture.py", "pages/augmentation.py",
                 "pages/inside.py"]


def _heavy_modules_after(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint(sorted(m for m in ('tensorflow', 'keras', 'tf2onnx', 'jax', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return eval(out.stdout.strip().splitlines()[-1])


def test_core_serving_modules_import_no_tensorflow():
    assert _heavy_modules_after("import core.serving.inference, core.serving.system, core.serving.explain, "
                                "core.explainers.inside, core.artifacts.rundir, core.explainers.mechanics, "
                                "core.recipes") == []


@pytest.mark.slow  # each page runs in a fresh interpreter: about 2 s each
@pytest.mark.parametrize("page", SERVING_PAGES)
def test_serving_pages_import_no_tensorflow(page):
    assert (REPO / page).is_file(), f"{page} is missing: the app's navigation links to it"
    code = ("from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file('app.py', default_timeout=60).run()\n"
            f"at.switch_page({page!r}).run()\n"
            "assert not at.exception, at.exception")
    assert _heavy_modules_after(code) == []
