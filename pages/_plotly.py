"""plotly, as every page imports it: pandas first, and the pages' own template.

pandas first: plotly looks pandas up in sys.modules without importing it, so a figure made while
another script thread was half-way through importing pandas (a stopped run's st.dataframe after a
quick click, which Streamlit's fast reruns leave running in the old thread, or another student's
session) failed with "partially initialized module 'pandas' has no attribute 'Series'". A real
import waits for the other thread's import to finish (tests/test_pages_plotly.py). Home draws no
figure and does not pay for pandas; the first page with a chart does (~0.25 s, pyarrow with it;
pages/_prefetch.py says why not earlier).

The template: every figure is drawn on plotly's "plotly_white", cut down to the layout of 2-D
charts and the trace types the pages draw (TRACES). Named on a figure, the whole template was
copied and validated again for every figure: 8-21 ms each (Compare's page script took 0.13-0.19 s
in the server with it, 0.05 s without); as the default, a figure takes it in 0.2 ms."""
import pandas  # noqa: F401
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

TEMPLATE = "classroom"
TRACES = ("bar", "heatmap", "scatter")  # every trace type the pages draw (tests/test_pages_plotly.py)
NOT_2D = ("geo", "mapbox", "polar", "scene", "ternary")  # layout parts for maps, polar and 3-D charts


def _cut(name: str) -> go.layout.Template:
    """plotly's template `name`, with only the layout of 2-D charts and the defaults of TRACES."""
    full = pio.templates[name].to_plotly_json()
    return go.layout.Template(layout={k: v for k, v in full["layout"].items() if k not in NOT_2D},
                              data={k: v for k, v in full["data"].items() if k in TRACES})


pio.templates[TEMPLATE] = _cut("plotly_white")
pio.templates.default = TEMPLATE

__all__ = ["go", "make_subplots"]
