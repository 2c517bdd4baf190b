"""Issue item: Train live on a machine without the data says so before any start, in the
reader's language, with no traceback and no Start that must fail (a fresh clone, 1280x720)."""
from __future__ import annotations

import pytest

from pages.strings import CATALOG


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("recipe", ["mnist", "scratch"])
def test_train_live_without_data_explains_and_offers_no_start(no_data_app_url, sized_page, lang, recipe):
    page = sized_page(1280, 720)
    page.goto(f"{no_data_app_url}/train?lang={lang}")
    strings = CATALOG[lang]
    page.get_by_text(strings["train.title"]).first.wait_for(timeout=60_000)
    if recipe != "mnist":
        page.get_by_role("combobox").first.click()
        page.get_by_role("option", name=strings[f"recipe.{recipe}"]).click()
    missing = strings["train.data.missing"].split("**")[1].split("{dataset}")[-1].strip()[:6]
    page.get_by_text(missing).first.wait_for(timeout=30_000)
    how = "mnist.npz" if recipe == "mnist" else "prepare-data"  # how to get this recipe's data, offline
    page.get_by_text(how).first.wait_for(timeout=30_000)
    assert page.get_by_role("button", name=strings["train.start"]).is_disabled()
    body = page.inner_text("body")
    assert "Traceback" not in body and "URL fetch failure" not in body
