"""No request leaves the machine: every registered page, in both languages, loads with every
request the browser makes going to the app's own host. (A Material page icon, for one, is
fetched from fonts.gstatic.com, and so is the page's own icon where the app sets none: pages/_theme.py
says why the icon is an inline SVG.)"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from pages._registry import HOME, PAGES
from pages.strings import CATALOG

pytestmark = pytest.mark.browser
LOCAL = {"127.0.0.1", "localhost"}
NOT_NETWORK = {"data", "blob", "about"}  # made inside the browser


def test_no_page_fetches_anything_from_outside(app_url, page):
    outside = []

    def check(url: str) -> None:
        split = urlsplit(url)
        if split.scheme not in NOT_NETWORK and split.hostname not in LOCAL:
            outside.append((page.url, url))

    page.on("request", lambda request: check(request.url))
    page.on("websocket", lambda socket: check(socket.url))
    for lang in ("en", "zh-TW"):
        for registered in PAGES:
            path = "" if registered == HOME else registered.name
            page.goto(f"{app_url}/{path}?lang={lang}")
            page.get_by_role("heading", name=CATALOG[lang][f"{registered.name}.title"]).wait_for(timeout=90_000)
            page.wait_for_timeout(1500)  # icons, fonts and images load after the heading
    menu = page.get_by_test_id("stSidebarNav")  # and through the menu, where pages switch in place
    for registered in PAGES:
        menu.get_by_text(CATALOG["zh-TW"][f"{registered.name}.nav"], exact=True).click()
        page.get_by_role("heading", name=CATALOG["zh-TW"][f"{registered.name}.title"]).wait_for(timeout=90_000)
        page.wait_for_timeout(1000)
    assert not outside
