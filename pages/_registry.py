"""The app's pages, in menu order: the one list that app.py's router, Home's chapter map and the
tests read, so a new page is pages/<name>.py, pages/strings/<name>.py and one line here.

Its strings module holds `<name>.title` (the page's heading), `<name>.nav` (its menu entry) and,
for every page but Home, `<name>.topic` (its line on Home's chapter map)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # pages/<name>.py, strings in pages/strings/<name>.py
    section: str  # the menu section: key nav.section.<section> in pages/strings/common.py
    icon: str

    @property
    def path(self) -> str:
        """The page file, relative to app.py, as st.Page and st.page_link take it."""
        return f"pages/{self.name}.py"


PAGES = (  # the first is Home, the default page
    Page("home", "chapter", ":material/home:"),
    Page("convolution", "convnets", ":material/grid_on:"),
    Page("padding_stride", "convnets", ":material/straighten:"),
    Page("pooling", "convnets", ":material/compress:"),
    Page("architecture", "convnets", ":material/account_tree:"),
    Page("augmentation", "small_data", ":material/casino:"),
    Page("predict", "results", ":material/pets:"),
    Page("inside", "results", ":material/visibility:"),
    Page("compare", "results", ":material/monitoring:"),
    Page("evaluate", "results", ":material/grid_view:"),
    Page("train", "results", ":material/model_training:"),
)
HOME = PAGES[0]


def sections() -> dict[str, list[Page]]:
    """The pages by menu section, in order."""
    grouped: dict[str, list[Page]] = {}
    for page in PAGES:
        grouped.setdefault(page.section, []).append(page)
    return grouped
