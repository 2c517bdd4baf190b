"""Compare's charts on a projector (issue 11, item 9): at 1280 x 720, in both languages, no legend
is cut, no two gap labels overlap, the x-axis title keeps clear of the legend, the plot keeps its
height with eight runs, a run has one colour in every view, and the smoothing slider and the
results table fit the screen."""
from __future__ import annotations

import itertools

import pytest

from pages.strings import CATALOG

pytestmark = pytest.mark.browser
CHARTS = ".js-plotly-plot"


def visible_charts(page):
    charts = page.locator(CHARTS).filter(visible=True)
    charts.first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let plotly finish laying out
    return [charts.nth(i) for i in range(charts.count())]


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes share more than a pixel's sliver."""
    return (min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]) > 1
            and min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]) > 1)


def check_layout(chart) -> list[dict]:
    """What must hold for every overlaid chart; returns its gap labels' boxes."""
    frame = chart.bounding_box()
    texts = chart.locator(".legendtext")
    assert texts.count() > 0
    for i in range(texts.count()):
        box = texts.nth(i).bounding_box()
        assert "…" not in texts.nth(i).text_content()
        assert box["x"] + box["width"] <= frame["x"] + frame["width"], texts.nth(i).text_content()  # not cut
    assert chart.locator(".legend .scrollbar").get_attribute("height") in (None, "0")  # all of it in sight
    title, legend = chart.locator(".xtitle").bounding_box(), chart.locator(".legend .bg").bounding_box()
    assert title["y"] + title["height"] <= legend["y"]  # the x-axis title above the legend, not on it
    labels = chart.locator(".annotation-text-g")  # the labels' boxes, without their lines to the bars
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert not [pair for pair in itertools.combinations(boxes, 2) if overlap(*pair)]
    return boxes


def colours(chart) -> dict[str, str]:
    """Each run's colour as plotly drew it, by its legend name."""
    return chart.evaluate("g => Object.fromEntries(g.data.filter(t => t.showlegend !== false && t.name)"
                          ".map(t => [t.name, t.line.color]))")


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_compare_charts_read_from_the_back_of_the_room(app_url, projector, lang):
    page, strings = projector, CATALOG[lang]
    page.goto(f"{app_url}/compare?lang={lang}")
    story = visible_charts(page)
    assert len(story) == 2
    slider = page.get_by_test_id("stSlider").filter(visible=True).first.bounding_box()
    assert slider["y"] + slider["height"] <= 720  # the smoothing slider in sight, with no scrolling
    labels = check_layout(story[0])  # step 1: our scratch run and the book's, both with a gap label
    assert len(labels) == 2
    story_colours = colours(story[0])

    page.get_by_role("tab", name=strings["compare.tab.runs"]).click()
    chooser = page.get_by_test_id("stMultiSelect")
    for recipe in ("feature_extraction", "fine_tuning"):  # four more runs than the tab's default four
        for name in (strings[f"recipe.{recipe}"], strings["results.book_run"].format(recipe=strings[f"recipe.{recipe}"])):
            chooser.locator("input").click()
            page.get_by_role("option", name=name, exact=True).click()
            page.wait_for_timeout(500)
    page.keyboard.press("Escape")
    assert chooser.locator("[data-tag]").count() == 8
    page.wait_for_function(f"() => [...document.querySelectorAll('{CHARTS}')].filter(g => g.offsetParent)"
                           ".every(g => g.data.filter(t => t.showlegend !== false && t.name).length === 8)",
                           timeout=60_000)  # redrawn with the eight runs
    runs = visible_charts(page)
    assert len(runs) == 2
    for chart in runs:
        assert chart.locator(".nsewdrag").bounding_box()["height"] >= 300  # the plot, not the legend, keeps the room
        check_layout(chart)
    assert len(colours(runs[0])) == 8
    assert len(set(colours(runs[0]).values())) == 8  # no colour repeats
    shared = story_colours.keys() & colours(runs[0]).keys()
    assert len(shared) == 2 and all(story_colours[name] == colours(runs[0])[name] for name in shared)

    page.get_by_role("tab", name=strings["compare.tab.table"]).click()
    table = page.get_by_test_id("stDataFrame").filter(visible=True)
    table.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    scroller = table.locator(".dvn-scroller")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")  # every column in sight, the hardware too
    page.screenshot(path=f"/tmp/compare_charts_{lang}.png")
