"""One catalog for every visible string, English and Traditional Chinese (zh-TW)."""
from __future__ import annotations

import streamlit as st

from core.reasons import Reason, reason_of
from pages.strings import CATALOG

LANGUAGES = {"en": "English", "zh-TW": "繁體中文"}


def language() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, **values) -> str:
    """The string for `key` in the chosen language (English where a translation is missing)."""
    text = CATALOG[language()].get(key, CATALOG["en"].get(key, key))
    return text.format(**values) if values else text


def explain(why: Reason | BaseException) -> str:
    """Why something failed, in the chosen language: a core.reasons.Reason by its code (see
    pages/strings/reasons.py), an exception by the Reason it was raised with; core's English
    stays for the CLI, the logs and the pages' expanders."""
    why = why if isinstance(why, Reason) else reason_of(why)
    return t(f"reasons.{why.code}", **why.params)


def language_switch() -> None:
    """The sidebar switch; the choice is kept in the URL (?lang=zh-TW) so a link keeps it."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", "en")
        st.session_state["lang"] = wanted if wanted in LANGUAGES else "en"
    st.sidebar.radio("Language / 語言", list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True)
    st.query_params["lang"] = st.session_state["lang"]
