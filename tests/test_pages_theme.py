"""One colour language: every figure's colours and font sizes come from pages/_theme.py, so a
colour means the same on every page and no figure's text is smaller than the rest; and every
figure is safe to make while another script thread imports pandas (pages/_plotly.py)."""
import re
import tomllib
from pathlib import Path

from pages import _theme as theme

REPO = Path(__file__).resolve().parents[1]
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
FONT_SIZE = re.compile(r"""font\w*["']?\s*[=:]\s*(?:dict\(|\{)[^)}]*size|font_size\s*=""")
# the digit canvas draws in MNIST's own colours (white on black): data, not style
NOT_FIGURES = {"_theme.py", "_canvas.py"}


def test_colours_and_font_sizes_are_set_only_in_the_theme():
    found = [(path.name, match.group()) for path in sorted((REPO / "pages").glob("*.py"))
             if path.name not in NOT_FIGURES
             for pattern in (HEX_COLOUR, FONT_SIZE) for match in pattern.finditer(path.read_text())]
    assert not found


def test_the_scan_sees_what_it_forbids():
    assert HEX_COLOUR.search('marker_color="#94a3b8"') and HEX_COLOUR.search('"color": "#111"')
    for code in ('font=dict(size=16)', 'textfont={"size": 26}', '"font": {"size": 16}', 'font_size=14',
                 'font={"color": colour, "size": 15}', 'title_font={"size": 22}'):
        assert FONT_SIZE.search(code), code
    assert not FONT_SIZE.search('<span style="font-size:1.3em">')


def test_streamlits_accent_is_the_themes_blue():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["theme"]["primaryColor"] == theme.BLUE == theme.SERIES[0]


def test_every_run_has_one_colour_of_its_own():
    """A run's colour follows from its recipe and kind, on every chart, and no two runs share one."""
    from core.recipes import RECIPE_IDS

    colours = {(recipe, kind): theme.run_colour(recipe, kind) for recipe in RECIPE_IDS
               for kind in ("shipped", "book", "run")}
    assert len(set(colours.values())) == len(colours)
    assert all(theme.run_colour(recipe, "shipped") == theme.RECIPE_HUES[recipe] for recipe in RECIPE_IDS)


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
from pages._results import probability_bars
probability_bars(["cat", "dog"], [0.25, 0.75])
print("drawn")
"""


def test_a_figure_made_while_another_thread_imports_pandas_waits_for_it():
    """A quick click reruns a page in a new script thread while the stopped run may still be importing
    pandas (st.dataframe); plotly then read the half-imported module (seen in the browser tests)."""
    import subprocess
    import sys

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


def test_home_draws_before_loading_pandas():
    """Home shows no figure or table: what app.py and Home import leaves pandas (and pyarrow, ~0.25 s)
    to the first page that draws one."""
    import ast
    import subprocess
    import sys

    modules = [alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
               for path in (REPO / "app.py", REPO / "pages" / "home.py")
               for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in node.names]
    script = ("import importlib, sys\n"  # `from m import name`: m.name is a module, or a name in m
              f"for name in {modules!r}:\n"
              "    try:\n        importlib.import_module(name)\n"
              "    except ImportError:\n        importlib.import_module(name.rpartition('.')[0])\n"
              "print('pandas' in sys.modules, len(sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split()[0] == "False", done.stderr[-2000:]
