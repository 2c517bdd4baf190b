"""The browser's share of a first visit. Streamlit's frontend loads an element's code (a chunk
of its bundle) the first time a page shows such an element; plotly's alone took about 1.5 s of
a loaded 2-core machine's CPU to parse and run, paid by whichever page drew the first chart. Once
a page is painted and the browser is idle, this loads the chunks the other pages need, one per
idle moment, so a later click in the menu finds them ready (python -m bench startup). The server's
share stays with the page that needs it: pandas, imported in a thread after Home was drawn, ran
while the browser was still painting on two cores, and Home's cold paint got later by more than
the first chart page saves."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

# the elements the pages show that Home does not (bench/startup.py's first visits, Streamlit 1.67); the data
# frame's grid among them since Home's models table is Markdown
ELEMENTS = ("PlotlyChart", "DataFrame", "Slider", "ButtonGroup", "Selectbox", "Checkbox", "ImageList", "NumberInput",
            "StreamlitSyntaxHighlighter", "FileUploader", "Multiselect", "TextInput", "Progress")
STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
SCRIPT = """<script>(() => {
  if (window.__classroomPrefetch) return;
  window.__classroomPrefetch = true;
  const index = document.querySelector('script[src*="/static/js/index."]');
  if (!index) return;
  const idle = window.requestIdleCallback || (then => setTimeout(then, 500));
  const files = %s;
  const next = () => {
    const file = files.shift();
    if (file) idle(() => import(new URL(file, index.src).href).catch(() => {}).finally(next));
  };
  next();
})();</script>"""


@cache
def chunks() -> tuple[str, ...]:
    """The chunk files of ELEMENTS in this Streamlit's bundle (names carry a content hash)."""
    return tuple(path.name for name in ELEMENTS for path in sorted(STATIC_JS.glob(f"{name}.*.js")))


def prefetch() -> None:
    """Load chunks() in the browser once it is idle, once per browser tab (an empty element)."""
    st.html(SCRIPT % json.dumps(chunks()), unsafe_allow_javascript=True)
