"""ConvNet Classroom: a thin router. Pages live in pages/ (listed in pages/_registry.py),
computation in core/."""
import streamlit as st

from pages import _share
from pages._i18n import language_switch, t
from pages._prefetch import prefetch
from pages._registry import HOME, sections

# An emoji icon: the browser draws it itself, while a Material page icon is fetched from
# fonts.gstatic.com (no request may leave the machine: tests/e2e/test_browser_offline.py).
st.set_page_config(page_title="ConvNet Classroom", page_icon="🧠", layout="wide")
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
