"""Teacher links: a page's settings live in its URL, and the sidebar's "link for students" shows
that URL with a QR code to scan from the back of the room.

The settings reach the URL through Streamlit's own binding: every keyed widget a class would
want to share is created with `bind="query-params"` (Streamlit 1.67). Streamlit then writes the
value into the URL as it changes (and drops it while it equals the default), seeds the widget
from the URL when a link is opened, ignores a value that is invalid or no longer an option, and
drops a page's parameters when the user moves to another page. So a page shares a setting with
that one argument (`choice` for a required segmented control); this module turns the browser's
current address into a link a student's device can open."""
from __future__ import annotations

import io
import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit, urlunsplit

import streamlit as st
from streamlit import net_util
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages import _theme as theme
from pages._i18n import language, t

if TYPE_CHECKING:
    import segno

QR_PX = 440  # the code's side on screen: about a metre wide on a classroom projection
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def choice(label: str, options, *, default, key: str, place=st, **kwargs):
    """A required segmented control, bound to the URL. Streamlit 1.67 registers every segmented
    control as clearable, so a link's empty value (`?key=`) would seed a required one with None:
    that reads as the default, like any other invalid value."""
    value = place.segmented_control(label, options, default=default, required=True, key=key, bind="query-params",
                                    **kwargs)
    return default if value is None else value


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in LOOPBACK_NAMES


def student_link(browser_url: str, query: str, lan_ip: str | None) -> tuple[str, bool]:
    """The link to hand out: the browser's address with its query, and whether the host was
    swapped. A teacher who opened the app as localhost gets the machine's network address in
    its place (what students' devices can reach); any other host is kept as the browser has it."""
    parts = urlsplit(browser_url)
    netloc, swapped = parts.netloc, False
    if parts.hostname and _loopback(parts.hostname) and lan_ip and not _loopback(lan_ip):
        netloc = lan_ip + (f":{parts.port}" if parts.port else "")
        swapped = True
    return urlunsplit((parts.scheme, netloc, parts.path, query, "")), swapped


def qr(url: str) -> segno.QRCode:
    """The link as a QR code, made here (no request leaves the machine), medium error correction.
    segno loads when a code is asked for, not with every page (~10 ms of CPU)."""
    import segno

    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The code as the page draws it: black on white, with the standard four-module quiet zone."""
    buffer = io.BytesIO()
    qr(url).save(buffer, kind="svg", scale=10, border=4, dark=theme.QR_DARK, light=theme.QR_LIGHT, xmldecl=False)
    return buffer.getvalue().decode()


def _browser_address() -> tuple[str, str]:
    """This run's page address and query, as the browser sent them (st.query_params is not
    refreshed when a bound widget changes; the query the browser sends with each rerun is)."""
    ctx = get_script_run_ctx()
    port = st.get_option("server.port")
    return st.context.url or f"http://localhost:{port}/", ctx.query_string if ctx else ""


def _reachable_ip() -> str | None:
    """The machine's network address, unless the server listens on loopback only."""
    address = st.get_option("server.address")
    return None if address and _loopback(address) else net_util.get_internal_ip()


def _show(link: str, swapped: bool) -> None:
    st.code(link, language=None, wrap_lines=True)
    st.image(qr_svg(link), width=QR_PX)
    host = urlsplit(link).hostname or ""
    if swapped:
        st.caption(t("share.swapped", host=host))
    elif _loopback(host):
        st.warning(t("share.local_only"))
    st.caption(t("share.how"))


def _relabel() -> None:
    """After a language switch, hand every setting in the URL back to Streamlit as if set by code,
    so that it is written again under its label in the new language: a link's labels and its
    `lang` must agree, or the link would open with the defaults."""
    if st.session_state.get("share.lang", language()) != language():
        for key in parse_qs(_browser_address()[1]):
            if key != "lang" and key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state["share.lang"] = language()


def control() -> None:
    """The sidebar button that shows this page's link for students and its QR code (called
    before the page runs, so that a language switch relabels the page's settings in the URL)."""
    _relabel()
    if st.sidebar.button(t("share.button"), icon=":material/qr_code_2:", key="share.open", width="stretch"):
        url, query = _browser_address()
        link, swapped = student_link(url, query, _reachable_ip())
        st.dialog(t("share.title"), width="medium")(_show)(link, swapped)
