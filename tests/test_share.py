"""Teacher links (pages/_share.py): a link with a page's settings in its query opens the page
with those settings, in either language; invalid values fall back to the defaults without a
word; the "link for students" control shows the link, with an address students can reach, and
a QR code that decodes back to it."""
import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import CATS_DOGS
from pages import _share
from pages._registry import PAGES
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
LANGS = ["en", "zh-TW"]


def _label(key: str):
    """A setting whose URL value is the option's label in the link's language."""
    return lambda lang: CATALOG[lang][key]


def _plain(value: str):
    return lambda lang: value


# page -> {query parameter (the widget's key): (its URL value in a language, the setting it restores)}
LINKS = {
    "convolution": {
        "convolution.padding": (_label("components.padding.same"), "same"),
        "convolution.digit": (_plain("3"), 3),
        "convolution.size": (_plain("5×5"), 5),
        "convolution.preset.5": (_label("components.kernel.gaussian_5x5"), "gaussian_5x5"),
        "convolution.step": (_plain("40"), 40),
    },
    "padding_stride": {
        "padding_stride.size": (_plain("10"), 10),
        "padding_stride.window": (_plain("5×5"), 5),
        "padding_stride.stride": (_plain("2"), 2),
        "padding_stride.padding": (_label("components.padding.same"), "same"),
        "padding_stride.step": (_plain("3"), 3),
    },
    "pooling": {
        "pooling.digit": (_plain("2"), 2),
        "pooling.preset.3": (_label("components.kernel.sobel_y"), "sobel_y"),
        "pooling.step": (_plain("5"), 5),
    },
    "architecture": {
        "architecture.recipe": (_label("recipe.fine_tuning"), "fine_tuning"),
        "architecture.base": (_label("architecture.base.vgg16"), "vgg16"),
    },
    "augmentation": {
        "augmentation.rotation_range": (_plain("90.0"), 90.0),
        "augmentation.zoom_range": (_plain("0.35"), 0.35),
        "augmentation.horizontal_flip": (_plain("false"), False),
        "augmentation.fill_mode": (_plain("reflect"), "reflect"),
        "augmentation.source": (_label("augmentation.source.generated"), "generated"),
        "augmentation.count": (_plain("12"), 12),
        "augmentation.seed": (_plain("7"), 7),
    },
    "predict": {
        "predict_tab": (_label("predict.tab.digit"), _label("predict.tab.digit")),
        "digit_how": (_label("predict.digit.upload"), "upload"),
        "photo_sample": (lambda lang: f"{CATS_DOGS.display_names[lang][1]} · dogs-4", "cats_and_dogs/dogs-4.jpg"),
    },
    "compare": {  # the story tab's settings; the other tab's: COMPARE_RUNS (only the open tab runs)
        "compare_tab": (_label("compare.tab.story"), _label("compare.tab.story")),  # tabs keep their label
        "story_step": (lambda lang: "3 · " + CATALOG[lang]["compare.story.augmentation.short"], "augmentation"),
        "story_smoothing": (_label("compare.smoothing.tensorboard"), "tensorboard"),
        "story_factor": (_plain("0.8"), 0.8),
    },
    "train": {
        "train_recipe": (_label("recipe.mnist"), "mnist"),
        "train_epochs_mnist": (_plain("3"), 3),
    },
}
COMPARE_RUNS = {
    "compare_tab": (_label("compare.tab.runs"), _label("compare.tab.runs")),
    "compare_sets": (lambda lang: [CATALOG[lang]["results.book_run"].format(recipe=CATALOG[lang][f"recipe.{r}"])
                                   for r in ("mnist", "fine_tuning")], ["book:mnist", "book:fine_tuning"]),
    "compare_grid": (_plain("true"), True),
    "runs_smoothing": (_label("compare.smoothing.none"), "none"),
}
INVALID = ["bogus", "99999", "-1"]


@pytest.fixture(autouse=True)
def runs(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))  # no run of the machine's own shows up


def opened(page: str, lang: str, query: dict) -> AppTest:
    """The page as a link opens it: the language and the settings in its query."""
    at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_page_with_settings_has_links_tested():
    """A page that binds a widget to the URL is in LINKS (Home has no settings)."""
    bound = {page.name for page in PAGES if re.search(r'bind="query-params"|share\.choice\(',
                                                      (REPO / "pages" / f"{page.name}.py").read_text(encoding="utf-8"))}
    assert bound | {"convolution", "pooling"} == set(LINKS)  # those two bind through pages/_components.py


@pytest.mark.slow  # every page opened in both languages: well over 2 s
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(LINKS))
def test_a_link_restores_the_page_settings(page, lang):
    at = opened(page, lang, {"lang": lang, **{key: value(lang) for key, (value, _) in LINKS[page].items()}})
    assert {key: at.session_state[key] for key in LINKS[page]} == {
        key: want(lang) if callable(want) else want for key, (_, want) in LINKS[page].items()}
    assert at.title[0].value == CATALOG[lang][f"{page}.title"]


@pytest.mark.slow  # Compare opened in both languages
@pytest.mark.parametrize("lang", LANGS)
def test_a_link_to_compares_runs_tab_restores_its_settings(lang):
    at = opened("compare", lang, {"lang": lang, **{key: value(lang) for key, (value, _) in COMPARE_RUNS.items()}})
    assert {key: at.session_state[key] for key in COMPARE_RUNS} == {
        key: want(lang) if callable(want) else want for key, (_, want) in COMPARE_RUNS.items()}
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.slow  # every page opened three times: well over 2 s
@pytest.mark.parametrize("page", list(LINKS))
def test_invalid_values_fall_back_to_the_defaults_silently(page):
    defaults = opened(page, "en", {})
    for invalid in INVALID:
        at = opened(page, "en", dict.fromkeys(LINKS[page], invalid))
        shown = [key for key in LINKS[page] if key in defaults.session_state]  # e.g. no 5x5 preset by default
        assert {key: at.session_state[key] for key in shown} == {key: defaults.session_state[key] for key in shown}
        assert len(at.error) == len(defaults.error) and len(at.warning) == len(defaults.warning)


@pytest.mark.slow  # every page opened twice: well over 2 s
@pytest.mark.parametrize("page", list(LINKS))
def test_empty_values_change_nothing_on_the_page(page):
    """`?key=` seeds a required segmented control with None in Streamlit 1.67 (pages/_share.choice
    reads it as the default): the page shows what it shows without the link's settings."""
    defaults = opened(page, "en", {})
    at = opened(page, "en", {key: "" for key in LINKS[page] if key != "compare_sets"})  # empty: none chosen
    for kind in ("metric", "markdown", "caption", "error", "warning", "info"):
        assert [e.value for e in getattr(at, kind)] == [e.value for e in getattr(defaults, kind)], kind


def test_a_slider_value_out_of_range_is_not_applied():
    at = opened("padding_stride", "en", {"padding_stride.stride": "7", "padding_stride.size": "10"})
    assert at.session_state["padding_stride.stride"] == 1 and at.session_state["padding_stride.size"] == 10


# --- the link and its QR code ------------------------------------------------------------------


@pytest.mark.parametrize("browser, lan, link, swapped", [
    ("http://localhost:8501/convolution", "192.168.1.20", "http://192.168.1.20:8501/convolution?q", True),
    ("http://127.0.0.1:8501/", "10.0.0.5", "http://10.0.0.5:8501/?q", True),
    ("https://[::1]:8443/predict", "10.0.0.5", "https://10.0.0.5:8443/predict?q", True),
    ("http://192.168.1.20:8501/pooling", "10.0.0.5", "http://192.168.1.20:8501/pooling?q", False),
    ("https://class.example.edu/compare", "10.0.0.5", "https://class.example.edu/compare?q", False),
    ("http://localhost:8501/", None, "http://localhost:8501/?q", False),  # listens on loopback only
    ("http://localhost:8501/", "127.0.0.1", "http://localhost:8501/?q", False),  # no network
])
def test_the_link_uses_an_address_students_can_reach(browser, lan, link, swapped):
    assert _share.student_link(browser, "q", lan) == (link, swapped)


LONG_LINK = ("http://192.168.100.200:8501/augmentation?lang=zh-TW&augmentation.rotation_range=135.0"
             "&augmentation.width_shift_range=0.45&augmentation.height_shift_range=0.45"
             "&augmentation.shear_range=44.9&augmentation.zoom_range=0.45&augmentation.horizontal_flip=false"
             "&augmentation.fill_mode=reflect&augmentation.source=%E7%A8%8B%E5%BC%8F%E7%94%A2%E7%94%9F%E7%9A%84%E5%9C%96"
             "&augmentation.count=16&augmentation.seed=9999")


def test_the_qr_code_decodes_back_to_the_link():
    """Read by zxing-cpp (a decoder from PyPI with no system libraries), from the very code the
    page draws as SVG."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    code = _share.qr(LONG_LINK)
    png = io.BytesIO()
    code.save(png, kind="png", scale=4, border=4)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))] == [LONG_LINK]
    width = re.search(r'width="(\d+)"', _share.qr_svg(LONG_LINK)).group(1)
    assert int(width) == code.symbol_size(scale=10, border=4)[0]  # the SVG is that code


def test_the_qr_code_is_big_enough_to_scan_across_a_room():
    """Even the longest link's modules are 5 screen pixels or more (a phone reads 2)."""
    side = _share.qr(LONG_LINK).symbol_size(scale=1, border=4)[0]
    assert _share.QR_PX / side >= 5


@pytest.mark.parametrize("lang", LANGS)
def test_the_control_shows_the_link_and_its_qr_code(monkeypatch, lang):
    monkeypatch.setattr(_share.net_util, "get_internal_ip", lambda: "192.168.1.20")
    at = AppTest.from_string("from pages import _share\n_share.control()\n", default_timeout=60)
    at.session_state["lang"] = lang
    at.context = {"url": "http://localhost:8501/padding_stride"}
    at.query_params.update({"lang": lang, "padding_stride.stride": "2"})
    at.run()
    at.sidebar.button(key="share.open").click().run()
    assert not at.exception
    link = f"http://192.168.1.20:8501/padding_stride?lang={lang}&padding_stride.stride=2"
    assert [c.value for c in at.code] == [link]
    dialog = at._tree.children[2].children[0]  # the event block holds the dialog
    assert dialog.type == "dialog" and "Image" in repr(dialog)
    assert [c.value for c in at.caption] == [CATALOG[lang]["share.swapped"].format(host="192.168.1.20"),
                                             CATALOG[lang]["share.how"]]
    assert at.sidebar.button(key="share.open").label == CATALOG[lang]["share.button"]


def test_a_language_switch_rewrites_the_settings_in_the_new_language():
    """Choices are in the URL by their label: after a switch the link's labels follow its `lang`."""
    script = """
import streamlit as st
from pages import _share
from pages._i18n import language_switch, t
language_switch()
_share.control()
presets = ["sobel_x", "sobel_y"]
st.selectbox("preset", presets, key="pooling.preset.3", bind="query-params",
             format_func={p: t(f"components.kernel.{p}") for p in presets}.get)
"""
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params.update({"lang": "en", "pooling.preset.3": CATALOG["en"]["components.kernel.sobel_y"]})
    at.run()
    at.sidebar.radio(key="lang").set_value("zh-TW").run()
    assert not at.exception and at.session_state["pooling.preset.3"] == "sobel_y"
    assert at.query_params == {"lang": "zh-TW", "pooling.preset.3": CATALOG["zh-TW"]["components.kernel.sobel_y"]}
