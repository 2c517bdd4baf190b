"""A deep link opened in a fresh server's first session shows its page inside the router: the
sidebar's menu and language switch, in the link's language (pages/__init__.py says why this
needs care)."""
import pytest

from pages.strings import CATALOG

pytestmark = pytest.mark.browser
ZH = CATALOG["zh-TW"]


def test_a_deep_link_in_the_first_session_keeps_the_router(fresh_app_url, page):
    page.goto(f"{fresh_app_url}/predict?lang=zh-TW")
    page.get_by_role("heading", name=ZH["predict.title"]).wait_for(timeout=60_000)
    menu = page.get_by_test_id("stSidebarNav")
    for key in ("nav.section.chapter", "home.nav", "nav.section.results", "predict.nav"):
        assert menu.get_by_text(ZH[key], exact=True).count() == 1, key
    assert page.get_by_test_id("stSidebar").get_by_role("radio", name="繁體中文").is_checked()
    assert "lang=zh-TW" in page.url
