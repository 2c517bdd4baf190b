"""Streamlit pages: layout only. Every computation is a call into `core/`."""
