"""The page registry (pages/_registry.py) is the whole app: every page file is registered, and
every registered page has its file and its strings in both languages."""
import importlib
from pathlib import Path

import pytest

from pages._registry import HOME, PAGES
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]


def test_every_page_file_is_registered():
    """Files starting with _ are shared modules, not pages; strings/ is a package."""
    files = {path.stem for path in (REPO / "pages").glob("*.py") if not path.name.startswith("_")}
    assert files == {page.name for page in PAGES}
    assert len(PAGES) == len({page.name for page in PAGES})


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_page_has_its_strings_in_both_languages(page):
    assert (REPO / page.path).is_file()
    strings = importlib.import_module(f"pages.strings.{page.name}").STRINGS
    wanted = {f"{page.name}.title", f"{page.name}.nav"} | ({f"{page.name}.topic"} if page != HOME else set())
    for lang in ("en", "zh-TW"):
        assert not wanted - set(strings[lang]), lang
        assert f"nav.section.{page.section}" in CATALOG[lang]
