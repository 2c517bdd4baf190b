"""ConvNet Classroom: a thin router. Pages live in pages/ (listed in pages/_registry.py),
computation in core/."""
import streamlit as st

from pages import _share
from pages._i18n import language_switch, t
from pages._prefetch import prefetch
from pages._registry import HOME, sections

# Streamlit's own favicon: any other costs each server's first page. An image or SVG goes through Streamlit's image
# code, which imports numpy and Pillow (~0.1 s; Home needs neither), an emoji loads Streamlit's catalogue of every
# emoji, and a Material icon is fetched from the internet (python -m bench startup; tests/test_pages_home.py)
st.set_page_config(page_title="ConvNet Classroom", layout="wide")
language_switch()

navigation = st.navigation({
    t(f"nav.section.{section}"): [st.Page(page.path, title=t(f"{page.name}.nav"), icon=page.icon,
                                          default=page == HOME) for page in pages]
    for section, pages in sections().items()
})
_share.control()
navigation.run()
with st.sidebar:  # once the page is drawn: the other pages' element code, while the browser idles
    prefetch()
