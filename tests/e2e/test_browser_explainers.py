"""The explainer pages in a real browser: switch to 繁體中文, open padding & stride, move the
stride and watch the output size change."""
import re

from playwright.sync_api import expect

from pages.strings import CATALOG

ZH = CATALOG["zh-TW"]


def _output_size(page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text=ZH["padding_stride.output"])
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_stride_changes_the_output_size_in_chinese(app_url, page):
    home = CATALOG["en"]["home.title"]
    page.goto(app_url)  # the root first: st.navigation's pages exist once app.py has run
    page.get_by_role("heading", name=home).wait_for(timeout=60_000)
    # Seen with Streamlit 1.67 here: the first widget change in the first session that a fresh
    # server serves is lost (the radio snaps back); a second session behaves.
    page.reload()
    page.get_by_role("heading", name=home).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebar").get_by_text("繁體中文").click()
    page.get_by_test_id("stSidebarNav").get_by_text(ZH["padding_stride.nav"]).click()
    page.get_by_role("heading", name=ZH["padding_stride.title"]).wait_for(timeout=30_000)
    assert "lang=zh-TW" in page.url

    before = _output_size(page)
    assert before == "6 × 6"  # 8 x 8 input, 3 x 3 window, stride 1, valid
    stride = page.get_by_test_id("stSlider").filter(has_text=ZH["padding_stride.stride"])
    stride.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # stride 1 -> 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.innerText.trim() === '3 × 3')", timeout=30_000)
    assert _output_size(page) == "3 × 3"
    # The rerun streams its elements in order: the metric can show 3 × 3 before the formula and
    # the message below it arrive, so these wait (as the metric did) instead of reading at once.
    expect(page.get_by_text(re.compile(r"⌊\(8 − 3\) / 2⌋ \+ 1 = 3")).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile("第 7 列與行"))).to_have_count(1, timeout=30_000)  # stride 2 never reaches row 7
