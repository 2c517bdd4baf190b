"""Every figure's colours and font sizes, in one place, so that a colour means the same on every
page and every figure reads from the back of a classroom.

The explainer pages give colours meanings: input blue, kernel orange, output teal, negative
values purple, the current window and the output cell it makes outlined in ink, padding hatched
grey, dropped pixels red. The results pages give every run one colour on every chart
(run_colour): its recipe's hue, the book's run of that recipe in a darker tone of the same hue, a
run trained here by a user in a lighter one. SERIES starts with Streamlit's accent blue
(primaryColor in .streamlit/config.toml)."""
from __future__ import annotations

BLUE, ORANGE, TEAL, PURPLE = "#2563eb", "#ea580c", "#0f766e", "#6d28d9"
RED, GREEN, PINK, OLIVE = "#dc2626", "#16a34a", "#be185d", "#4d7c0f"
INK = "#111111"  # black stands out on every other colour, also on a washed-out projector
GREY = "#9ca3af"  # what steps back: padding, the classes a model did not pick
PALE = "#f3f4f6"  # behind the padding's hatching
WHITE = "#ffffff"
VEIL = "rgba(255, 255, 255, 0.85)"  # behind a label drawn over curves: it reads, and the curves still show

SERIES = (BLUE, RED, GREEN, PURPLE, ORANGE, TEAL, PINK, OLIVE)
# the hues of the recipes; the story's neighbours (scratch and augmented, the three pretrained) far apart
RECIPE_HUES = {"mnist": TEAL, "scratch": RED, "scratch_augmented": BLUE, "feature_extraction": GREEN,
               "feature_extraction_augmented": PURPLE, "fine_tuning": ORANGE}
DARK = {TEAL: "#134e4a", RED: "#991b1b", BLUE: "#1e3a8a", GREEN: "#14532d", PURPLE: "#4c1d95",
        ORANGE: "#9a3412"}  # the book's runs
LIGHT = {TEAL: "#14b8a6", RED: "#f87171", BLUE: "#60a5fa", GREEN: "#22c55e", PURPLE: "#a78bfa",
         ORANGE: "#fb923c"}  # a user's runs
INPUT = [[0, WHITE], [1, BLUE]]  # also counts, e.g. a confusion matrix
KERNEL = [[0, PURPLE], [0.5, WHITE], [1, ORANGE]]  # negative weights purple, as negative outputs
OUTPUT = [[0, PURPLE], [0.5, WHITE], [1, TEAL]]

FAMILY = '"Source Sans", sans-serif'  # Streamlit's own, also where a figure skips Streamlit's theme
FONT = {"size": 18, "family": FAMILY}  # every figure's text: axes, legends, subplot titles, notes
TITLE_FONT = {"size": 22}  # figure titles, and the few numbers a figure is about (a confusion matrix's)
CELL_FONT = {"size": 14}  # numbers inside grid cells: the largest that fits a 12 × 12 grid's cells


def run_colour(recipe: str, kind: str) -> str:
    """A run's colour on every chart, from its recipe and kind ("shipped", "book" or "run")."""
    hue = RECIPE_HUES[recipe]
    return {"book": DARK, "run": LIGHT}.get(kind, {hue: hue})[hue]


# a figure's title where Streamlit's theme is skipped (the explainers' figures), as that theme draws it
HEADING = {"font": {**TITLE_FONT, "family": FAMILY, "weight": 600}, "x": 0, "xanchor": "left"}
QR_DARK, QR_LIGHT = "#000000", "#ffffff"  # a QR code's modules and quiet zone: full contrast, as phone scanners expect


def _icon() -> str:
    """The app's favicon: a 3 × 3 kernel (orange) over a 4 × 4 input (blue), the explainers' own
    colours. An SVG, so that Streamlit sends it inline. Without an icon of the app's, the browser
    shows the page's Material icon, fetched from fonts.gstatic.com (no request may leave the
    machine). Streamlit's image code imports numpy and Pillow for it on each server's first page
    (0.08-0.17 s of CPU, which only Home would not pay anyway); an emoji would load Streamlit's
    catalogue of every emoji instead (0.04-0.07 s) and look as each machine's emoji font draws it."""
    cells = "".join(f'<rect x="{1 + 4 * c}" y="{1 + 4 * r}" width="3" height="3" fill="{BLUE}"/>'
                    for r in range(4) for c in range(4))
    kernel = f'<rect x="0.5" y="0.5" width="12" height="12" fill="none" stroke="{ORANGE}" stroke-width="1.5"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 17 17">{cells}{kernel}</svg>'


ICON = _icon()

