"""Home through AppTest: the models table (Markdown) reads as Compare's (percents; "–" where a model has no
number, never Streamlit's "None"), and the hardware section, painted last, still shows."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from streamlit.testing.v1 import AppTest

from core import paths
from core.serving import system
from pages import _theme as theme
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_an_unavailable_model_shows_a_dash_not_none(tmp_path, monkeypatch, lang):
    trained = tmp_path / "trained"
    shutil.copytree(REPO / "trained" / "mnist", trained / "mnist")
    (trained / "mnist" / "model.onnx").write_bytes(b"not the model the card's sha256 names")
    monkeypatch.setattr(paths, "TRAINED_DIR", trained)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)  # page_link needs the router
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    words = CATALOG[lang]
    table = next(m.value for m in at.markdown if m.value.startswith(f"| {words['home.col.model']} |"))
    header, rule, *lines = table.splitlines()  # a Markdown table: no data-frame grid on Home
    row = dict(zip(header[2:-2].split(" | "), lines[0][2:-2].split(" | ")))
    assert rule == "|" + "---|" * len(row)
    assert row[words["home.col.status"]] == words["home.unavailable"]
    assert row[words["home.col.accuracy"]] == "–"
    assert row[words["home.col.book"]].endswith("%")  # the book's number, as a percent like Compare's
    assert "None" not in table
    assert [m.label for m in at.metric][:1] == [words["home.device"]]  # the hardware section, after the table


FIRST_PAGE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
at.session_state["lang"] = "zh-TW"
at.run()
print(len(at.exception), *(name in sys.modules for name in ("streamlit.emojis", "onnxruntime")))
"""


@pytest.mark.skipif(system.gpu_provider_installed(), reason="onnxruntime-gpu is installed here: Home opens a "
                    "session to tell the provider")
@pytest.mark.slow  # a fresh interpreter
def test_the_first_page_loads_no_emoji_catalogue_or_onnxruntime():
    """Home, in both languages, on a fresh server. The favicon is an inline SVG (pages/_theme.py
    ICON): an emoji icon had Streamlit import its catalogue of every emoji (~0.05 s). The hardware
    section says "CPU" from the installed onnxruntime's files (core/serving/system.py) on this
    machine, whose onnxruntime has no GPU provider."""
    done = subprocess.run([sys.executable, "-c", FIRST_PAGE], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["0", "False", "False"], done.stderr[-2000:]


def test_the_icon_is_a_kernel_over_an_input_in_the_explainers_colours():
    svg = ElementTree.fromstring(theme.ICON)
    fills = [rect.get("fill") for rect in svg.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills == [theme.BLUE] * 16 + ["none"]
    assert theme.ICON.isascii()  # Streamlit checks non-ASCII icons against its emoji catalogue
