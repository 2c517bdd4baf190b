"""One colour language: every figure's colours and font sizes come from pages/_theme.py, so a
colour means the same on every page and no figure's text is smaller than the rest."""
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
