"""The shared upload helper (pages/_components.photo_upload, used by Convolution, Max pooling
and Data augmentation): a file over the app's size limit gets its translated message."""
import pytest
from streamlit.testing.v1 import AppTest

from core.data.images import MAX_FILE_MB
from pages.strings import CATALOG


def _uploader():
    from pages._inputs import photo_upload

    photo_upload("upload", "components.photo_missing")


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_file_over_the_size_limit_gets_a_translated_message(lang):
    at = AppTest.from_function(_uploader, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    too_big = bytes(MAX_FILE_MB * 1024 * 1024 + 1)
    at.file_uploader(key="upload").set_value(("big.jpg", too_big, "image/jpeg")).run()
    assert not at.exception
    assert [e.value for e in at.error] == [CATALOG[lang]["components.bad_image.file_too_large"].format(mb=MAX_FILE_MB)]
    assert not at.info  # the reason alone, not also "no photo yet"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_dropzone_names_our_limit_not_streamlits(lang):
    """Streamlit's own "200MB per file" gives way to ours, translated (the browser test checks
    the CSS takes effect: tests/e2e/test_browser_dropzone.py)."""
    at = AppTest.from_function(_uploader, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    styles = [element.proto.body for element in at.get("html")]
    assert any(CATALOG[lang]["components.dropzone"].format(mb=MAX_FILE_MB) in s and "display: none" in s
               for s in styles), styles
