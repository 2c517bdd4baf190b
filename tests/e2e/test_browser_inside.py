"""Inside the model in a real browser: open the page, pick a model, give it a photo, and see
the feature-map grids and a Grad-CAM heatmap."""
from pages.strings import CATALOG

EN = CATALOG["en"]


def test_feature_maps_and_a_heatmap(app_url, page, cat_photo):
    page.goto(app_url)  # the root first: st.navigation's pages exist once app.py has run
    page.get_by_role("heading", name=EN["home.title"]).wait_for(timeout=60_000)
    page.reload()  # the first widget change in a fresh server's first session can be lost
    page.get_by_role("heading", name=EN["home.title"]).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_text(EN["inside.nav"]).click()
    page.get_by_role("heading", name=EN["inside.title"]).wait_for(timeout=30_000)
    page.screenshot(path="/tmp/inside_browser_0.png", full_page=True)

    page.get_by_test_id("stSelectbox").filter(has_text=EN["inside.model"]).click()
    page.get_by_role("option", name=EN["recipe.scratch_augmented"], exact=True).click()
    page.get_by_test_id("stButtonGroup").get_by_text(EN["inside.source.upload"]).click()
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": "cat.jpg", "mimeType": "image/jpeg", "buffer": cat_photo}])

    # eight layers (conv1 ... pool4), each a grid of its channels; then the heatmaps' tab
    page.get_by_text("pool4", exact=True).first.wait_for(timeout=120_000)
    grids = page.locator("[data-testid=stImage] img")
    assert grids.count() >= 8
    # each decoded (images load after their line is drawn: wait for them, do not race them)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stImage] img')].slice(0, 8)"
                           ".every(img => img.complete && img.naturalWidth > 0)", timeout=30_000)
    page.get_by_role("tab", name=EN["inside.tab.gradcam"]).click()
    heatmap = page.get_by_test_id("stImageCaption").filter(has_text="· at conv4").first
    heatmap.wait_for(timeout=120_000)
    page.screenshot(path="/tmp/inside_browser.png", full_page=True)
