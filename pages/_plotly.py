"""plotly, as every page imports it: pandas first. Plotly looks pandas up in sys.modules
without importing it, so a figure made while another script thread was half-way through
importing pandas (a stopped run's st.dataframe after a quick click, which Streamlit's fast reruns
leave running in the old thread, or another student's session) failed with "partially
initialized module 'pandas' has no attribute 'Series'". A real import waits for the other
thread's import to finish (tests/test_pages_plotly.py). Home draws no figure and does not pay for
pandas; the first page with a chart does (~0.25 s, pyarrow with it; pages/_prefetch.py says why
not earlier)."""
import pandas  # noqa: F401
import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["go", "make_subplots"]
