"""Streamlit pages: layout only. Every computation is a call into `core/`.

Deep links: because this folder is called `pages/` (the project's fixed layout), Streamlit
runs the first session after a server start in its legacy "pages directory" mode, where a
URL like /predict executes pages/predict.py without app.py (no router, no language switch)
until some run calls st.navigation. Every page imports this package first, so here we leave
that mode at once and rerun through app.py's router.
"""
import streamlit as st

try:
    from streamlit.runtime.pages_manager import PagesManager
except ImportError:  # a Streamlit without the legacy mode
    PagesManager = None

if PagesManager is not None and PagesManager.uses_pages_directory and st.runtime.exists():
    PagesManager.uses_pages_directory = False
    st.rerun()
