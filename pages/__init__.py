"""Streamlit pages: layout only. Every computation is a call into `core/`.

Deep links need this: a folder named `pages/` beside app.py puts Streamlit 1.67 in its legacy
"pages directory" mode (PagesManager.uses_pages_directory, set once per process), in which a
URL like /predict runs pages/predict.py alone, without app.py's router and language switch,
until some run calls st.navigation. No setting turns the mode off, and app.py cannot leave it,
because a deep link never runs app.py; but every page imports this package first, so here we
leave the mode and rerun through app.py. README.md (The app) gives the evidence.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory and st.runtime.exists():
    PagesManager.uses_pages_directory = False
    st.rerun()
