"""Streamlit's dropzone writes its own upload limit ("200MB per file", in English) under our
translated label; the page's local CSS shows ours there instead, in the user's language."""
from __future__ import annotations

import pytest

from core.data.images import MAX_FILE_MB
from pages.strings import CATALOG

pytestmark = pytest.mark.browser
SHOWN = """el => ({children: [...el.children].map(c => getComputedStyle(c).display),
                  after: getComputedStyle(el, '::after').content})"""


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_dropzone_states_our_limit_in_the_users_language(app_url, projector, lang):
    page = projector
    page.goto(f"{app_url}/predict?lang={lang}")
    instructions = page.get_by_test_id("stFileUploaderDropzoneInstructions").first
    instructions.wait_for(timeout=60_000)
    for _ in range(60):  # a deep link on a fresh server paints once before its rerun brings the page's CSS
        shown = instructions.evaluate(SHOWN)
        if shown["children"] and set(shown["children"]) == {"none"}:
            break
        page.wait_for_timeout(500)
    assert shown["children"] and set(shown["children"]) == {"none"}  # Streamlit's "200MB per file" hidden
    assert shown["after"] == f'"{CATALOG[lang]["components.dropzone"].format(mb=MAX_FILE_MB)}"'
    assert "200MB" not in page.get_by_test_id("stFileUploaderDropzone").first.inner_text()
