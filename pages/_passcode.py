"""The teacher's controls behind the passcode (core.passcode), for any page to use:

    passcode.sidebar()                          # the field, once per page with teacher controls
    passcode.note(t("passcode.locked"))         # says, while locked, what the passcode guards here
    if st.button(...) and passcode.allowed():   # pressed while locked: a translated refusal instead
        ...

The buttons stay enabled: a press is what gets the refusal, said where the student looks.

With no passcode set (a laptop with one user) everything is open and the sidebar shows nothing.
"""
from __future__ import annotations

import math
import os

import streamlit as st

from core import passcode
from pages._i18n import t

GIVEN = "passcode_given"  # session state: the passcode this session entered (server-side only)


@st.cache_resource
def _limiter() -> passcode.Limiter:
    """One per server: wrong tries from every session count together."""
    return passcode.Limiter()


def _configured() -> str | None:
    try:
        secrets = dict(st.secrets)
    except FileNotFoundError:  # no .streamlit/secrets.toml
        secrets = {}
    return passcode.configured(os.environ, secrets)


def unlocked() -> bool:
    """Whether this session may use the teacher's controls: no passcode is set, or it entered it."""
    wanted = _configured()
    return wanted is None or passcode.matches(st.session_state.get(GIVEN, ""), wanted)


def allowed() -> bool:
    """unlocked(), else a translated refusal where the control is."""
    if unlocked():
        return True
    st.error(t("passcode.refused"))
    return False


def note(text: str) -> None:
    """`text` (translated) as a note while this session is locked out; nothing otherwise."""
    if not unlocked():
        st.info(text)


def sidebar() -> None:
    """The passcode field in the sidebar (a Lock button once entered); nothing when no passcode is set."""
    wanted = _configured()
    if wanted is None:
        return
    if unlocked():
        st.sidebar.caption(t("passcode.unlocked"))
        if st.sidebar.button(t("passcode.lock"), key="passcode_lock"):
            del st.session_state[GIVEN]
            st.rerun()
        return
    with st.sidebar.form("passcode_form", clear_on_submit=True, border=False):
        given = st.text_input(t("passcode.label"), type="password", help=t("passcode.help"), key="passcode_input")
        if st.form_submit_button(t("passcode.enter")):
            attempt = _limiter().attempt(given, wanted)
            if attempt == passcode.Attempt.RIGHT:
                st.session_state[GIVEN] = given
                st.rerun()
            elif attempt == passcode.Attempt.WRONG:
                st.error(t("passcode.wrong"))
            else:
                st.error(t("passcode.wait", seconds=math.ceil(_limiter().wait())))
