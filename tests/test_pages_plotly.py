"""Figures made safely across script threads (pages/_plotly.py): plotly looks pandas up in
sys.modules without importing it, so every page takes plotly from the module that imports
pandas first; Home, which draws nothing, leaves pandas to the first page that does. And every
figure drawn on the pages' template, plotly_white cut to what the pages draw."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import plotly.io as pio
import pytest

from pages import _plotly
from pages._plotly import go

REPO = Path(__file__).resolve().parents[1]

# Thread A imports pandas slowly (its module already in sys.modules, not yet run, as a real import
# leaves it half-way); thread B then makes a figure. B must wait for A, not read a half-made pandas.
HALF_IMPORTED_PANDAS = """
import importlib.abc, sys, threading, time
started = threading.Event()

class Slow(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name != "pandas":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec("pandas")
        self.real, spec.loader = spec.loader, self
        return spec
    def create_module(self, spec):
        return self.real.create_module(spec)
    def exec_module(self, module):
        started.set()
        time.sleep(1.0)
        self.real.exec_module(module)

import importlib.util
import plotly.graph_objects, streamlit  # loaded in a running server
sys.meta_path.insert(0, Slow())
threading.Thread(target=lambda: __import__("pandas")).start()
started.wait(10)
from pages._charts import probability_bars
probability_bars(["cat", "dog"], [0.25, 0.75])
print("drawn")
"""


def test_a_figure_made_while_another_thread_imports_pandas_waits_for_it():
    """A quick click reruns a page in a new script thread while the stopped run may still be importing
    pandas (st.dataframe); plotly then read the half-imported module (seen in the browser tests)."""
    done = subprocess.run([sys.executable, "-c", HALF_IMPORTED_PANDAS], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "drawn", done.stderr[-2000:]


def test_pages_import_plotly_only_through_the_module_that_imports_pandas_first():
    """pages/_plotly.py's pandas import guards only the figures of modules that take plotly from it."""
    importing = [path.name for path in sorted((REPO / "pages").glob("*.py"))
                 if re.search(r"^\s*(import plotly|from plotly)", path.read_text(), re.M)]
    assert importing == ["_plotly.py"]
    drawing = [path for path in sorted((REPO / "pages").glob("*.py")) if "go.Figure" in path.read_text()]
    assert drawing and all("from pages._plotly import go" in path.read_text() for path in drawing)


NO_CHART_PAGE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
at.switch_page(sys.argv[1]).run()
print(len(at.exception), "pandas" in sys.modules, "pyarrow" in sys.modules)
"""


@pytest.mark.slow  # a fresh interpreter per page
@pytest.mark.parametrize("page", ["home", "predict", "inside", "train", "augmentation"])
def test_a_page_without_a_chart_leaves_pandas_unloaded(page):
    """Home, Predict's photo tab, Inside, Train without a run and Augmentation draw no chart: what they
    import leaves pandas (with pyarrow, ~0.25 s; pages/_plotly.py imports it) to the first page or tab
    that draws one (pages/_inputs.py, pages/_charts.py). Predict is a class's usual first page after Home."""
    done = subprocess.run([sys.executable, "-c", NO_CHART_PAGE, f"pages/{page}.py"], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.stdout.split() == ["0", "False", "False"], done.stderr[-2000:]


def _drawn_trace_types() -> set[str]:
    """Every trace type a page makes: go.Heatmap(...) is "heatmap", fig.add_scatter(...) "scatter"."""
    found = set()
    for path in (REPO / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "go" \
                    and node.attr not in ("Figure", "layout"):
                found.add(node.attr.lower())
            elif isinstance(node, ast.Attribute) and re.fullmatch(r"add_[a-z]+", node.attr) \
                    and node.attr not in ("add_annotation", "add_shape", "add_trace"):
                found.add(node.attr.removeprefix("add_"))
    return found


def test_the_template_covers_every_trace_type_the_pages_draw():
    """A trace type missing from TRACES would be drawn with plotly.js's bare defaults, not plotly_white's."""
    drawn = _drawn_trace_types()
    assert {"bar", "heatmap", "scatter"} <= drawn
    assert drawn <= set(_plotly.TRACES)


def test_every_figure_takes_plotly_white_as_its_default_for_what_it_draws():
    """The cut template keeps plotly_white's 2-D layout and its defaults for TRACES, value for value."""
    white = pio.templates["plotly_white"].to_plotly_json()
    figure = go.Figure(go.Scatter(x=[0, 1], y=[0, 1])).to_dict()["layout"]["template"]
    assert figure["layout"] == {k: v for k, v in white["layout"].items() if k not in _plotly.NOT_2D}
    assert figure["data"] == {k: white["data"][k] for k in _plotly.TRACES}


def test_the_pages_name_no_template_of_their_own():
    """A figure that names a template copies and validates all of it again (8-21 ms a figure)."""
    naming = [path.name for path in sorted((REPO / "pages").glob("*.py")) if re.search(r"\btemplate=", path.read_text())
              and path.name != "_plotly.py"]
    assert naming == []
