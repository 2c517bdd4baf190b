"""A teacher's link in a real browser on a 1280x720 projector, in both languages: the page opens
with the link's settings, a setting changed on the page is in the next link, and the "link for
students" dialog shows the link and its QR code, whole and large, on the first screen."""
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from pages._share import QR_PX
from pages.strings import CATALOG


def _output_size(page, strings) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text=strings["padding_stride.output"])
    return metric.get_by_test_id("stMetricValue").inner_text()


def _wait_for_output_size(page, size: str) -> None:
    """As tests/e2e/test_browser_explainers.py waits for it: polled in the page itself."""
    page.wait_for_function("size => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                           ".some(e => e.innerText.trim() === size)", arg=size, timeout=90_000)


def _shared_link(page, strings) -> str:
    """Open the dialog; its link, once the QR code beside it is on screen, whole and large."""
    page.get_by_test_id("stSidebar").get_by_role("button", name=strings["share.button"]).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(strings["share.title"])).to_be_visible(timeout=90_000)
    qr = dialog.get_by_test_id("stImage").locator("img")
    expect(qr).to_be_visible(timeout=90_000)
    box = qr.bounding_box()
    assert box["width"] >= QR_PX - 1 and box["height"] >= QR_PX - 1, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box  # no scrolling to show it
    link = dialog.get_by_test_id("stCode").inner_text().strip()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0, timeout=10_000)
    return link


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_teacher_link_opens_the_page_as_set_and_shares_it(app_url, projector, lang):
    strings = CATALOG[lang]
    projector.goto(app_url)  # the server has run app.py once: st.navigation's pages exist
    projector.get_by_role("heading", name=CATALOG["en"]["home.title"]).wait_for(timeout=60_000)
    same = quote(strings["components.padding.same"])
    projector.goto(f"{app_url}/padding_stride?lang={lang}&padding_stride.stride=2&padding_stride.padding={same}")
    projector.get_by_role("heading", name=strings["padding_stride.title"]).wait_for(timeout=60_000)
    _wait_for_output_size(projector, "4 × 4")  # ⌈8 / 2⌉, not the default 6 × 6

    link = _shared_link(projector, strings)
    assert link.startswith(f"{app_url}/padding_stride?"), link  # a server on 127.0.0.1 keeps its address
    assert {f"lang={lang}", "padding_stride.stride=2", f"padding_stride.padding={same}"} <= set(
        link.split("?", 1)[1].split("&")), link

    stride = projector.get_by_test_id("stSlider").filter(has_text=strings["padding_stride.stride"])
    stride.get_by_role("slider").focus()
    projector.keyboard.press("ArrowRight")  # stride 2 -> 3
    _wait_for_output_size(projector, "3 × 3")
    assert "padding_stride.stride=3" in _shared_link(projector, strings)

    projector.goto(f"{app_url}/padding_stride?lang={lang}&padding_stride.stride=banana")
    _wait_for_output_size(projector, "6 × 6")
    assert _output_size(projector, strings) == "6 × 6"  # the default, without a word
    expect(projector.get_by_test_id("stException")).to_have_count(0)
