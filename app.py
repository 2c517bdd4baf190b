"""ConvNet Classroom: a thin router. Pages live in pages/ (listed in pages/_registry.py),
computation in core/."""
import streamlit as st

from pages import _share
from pages import _theme as theme
from pages._i18n import language_switch, t
from pages._prefetch import prefetch
from pages._registry import HOME, sections

st.set_page_config(page_title="ConvNet Classroom", page_icon=theme.ICON, layout="wide")  # _theme says why
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
