"""Inside the model (book 5.4): for one image on this CPU, the Grad-CAM heatmap of every shipped
cat/dog model against the plain prediction of the same models, one model's full set of feature
maps (pictures included) against its prediction, timed side by side (each a new image: the
Explainer's remembered passes are dropped first); and in Chromium, the Inside page's feature maps
painted after a photo is given, in turns with a floor: a bare Streamlit page that is given the
same photo and shows it."""
from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import interleaved, median, paired_ratio, table, target
from bench.startup import CHROMIUM, _server

TITLE = "Inside the model: Grad-CAM and feature maps vs predictions; the page's feature maps painted"
REPO = Path(__file__).resolve().parents[1]
HEATMAP_TARGET, PAINT_TARGET_S = 3.0, 1.0
MAPS_MODEL = "scratch_augmented"  # 8 layers, 1,120 channels: the most feature maps of the from-scratch models
COLUMNS, SHOWN, WIDEST = 16, 64, 1200  # a grid as pages/inside.py draws it
FLOOR = """import streamlit as st

upload = st.file_uploader("photo")
if upload is not None:
    st.image(upload.getvalue())
"""  # the same pick, one image shown: what any Streamlit page takes


def missing() -> str | None:
    from core.artifacts.rundir import models

    if not [info for info in models("cats_and_dogs")[0] if info.ok]:
        return "no shipped cat/dog model in trained/"
    return None


def _photo(seed: int):
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    image = Image.fromarray(rng.integers(60, 200, (300, 400, 3), dtype=np.uint8))
    ImageDraw.Draw(image).ellipse([120, 60, 280, 220], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    return image


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _timings(repeats: int) -> tuple[dict, list]:
    from core.artifacts.rundir import models
    from core.explainers.inside import channel_grid, png
    from core.serving.explain import explainer
    from core.serving.inference import predictor

    shipped = [info for info in models("cats_and_dogs")[0] if info.ok]
    image = _photo(0)
    predictors = [predictor(info.path) for info in shipped]
    explainers = [explainer(info.path) for info in shipped]
    one = next(e for info, e in zip(shipped, explainers) if info.recipe == MAPS_MODEL)

    def heatmaps():
        for e in explainers:
            e.forget()
            inside = e.inside(image, feature_maps=False)
            inside.heatmap(int(np.argmax(inside.probabilities)))

    def feature_maps():
        one.forget()
        inside = one.inside(image)
        for layer in one.layers:
            png(channel_grid(inside.activations[layer.name], COLUMNS, SHOWN, widest=WIDEST))

    candidates = {"five predictions": lambda: [p.predict(image) for p in predictors], "five heatmaps": heatmaps,
                  "one prediction": lambda: one.model.predict(image), "one model's feature maps": feature_maps}
    return interleaved(candidates, repeats), [info.recipe for info in shipped]


IMAGES = "[...document.querySelectorAll('[data-testid=stImage] img')]"


def _give(page, done: str, k: int) -> float:
    """Seconds from giving the page's uploader photo k to `done` (a JS predicate on the images
    there before) holding."""
    page.locator('input[type="file"]').first.wait_for(state="attached", timeout=60_000)
    before = page.evaluate(f"() => {IMAGES}.map(i => i.src)")
    start = time.perf_counter()
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": f"photo{k}.png", "mimeType": "image/png", "buffer": _png(_photo(k + 1))}])
    page.wait_for_function(done, arg=before, timeout=120_000, polling=20)
    return time.perf_counter() - start


def _paints(rounds: int) -> list[tuple[float, float, float]]:
    """Each round, in a fresh order: seconds from giving the Inside page a photo (the upload's
    files set) to every feature-map grid of MAPS_MODEL drawn (its last layer's line shown, each
    grid image decoded), and from giving the floor page the same photo to it drawn; with the
    1-minute load average."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from core.serving.explain import explainer
    from pages.strings import CATALOG

    en = CATALOG["en"]
    layers = explainer(REPO / "trained" / MAPS_MODEL).layers
    floor_dir = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    (floor_dir / "app.py").write_text(FLOOR)
    new = f"{IMAGES}.filter(i => !before.includes(i.src) && i.complete && i.naturalWidth > 0).length"
    # painted: the last layer's line is there and as many new grid images as layers are decoded
    done = ("(before) => [...document.querySelectorAll('strong')].some(e => e.innerText === '%s') && %s >= %d"
            ) % (layers[-1].name, new, len(layers))
    shown = f"(before) => {new} >= 1"
    order, rows = np.random.default_rng(0), []
    try:
        with _server(REPO) as (app_url, _, _), _server(floor_dir) as (floor_url, _, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(app_url)
            page.locator("h1", has_text=en["home.title"]).wait_for(timeout=120_000)
            page.reload()
            page.locator("h1", has_text=en["home.title"]).wait_for(timeout=120_000)
            page.get_by_test_id("stSidebarNav").get_by_text(en["inside.nav"]).click()
            picker = page.get_by_test_id("stSelectbox").filter(has_text=en["inside.model"])
            picker.wait_for(timeout=120_000)
            picker.click()
            page.get_by_role("option", name=en[f"recipe.{MAPS_MODEL}"], exact=True).click()
            page.get_by_test_id("stButtonGroup").get_by_text(en["inside.source.upload"]).click()
            floor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            floor.goto(floor_url)
            for k in range(rounds + 1):  # the first round opens the models' sessions: not counted
                seconds = {}
                for name in order.permutation(["page", "floor"]):
                    seconds[name] = _give(page, done, k) if name == "page" else _give(floor, shown, k)
                if k:
                    rows.append((seconds["page"], seconds["floor"], os.getloadavg()[0]))
            browser.close()
    finally:
        shutil.rmtree(floor_dir, ignore_errors=True)
    return rows


def run(quick: bool) -> dict:
    samples, recipes = _timings(3 if quick else 15)
    heat = paired_ratio(samples["five heatmaps"], samples["five predictions"])
    maps = paired_ratio(samples["one model's feature maps"], samples["one prediction"])
    rows = [[name, median(values) * 1000] for name, values in samples.items()]
    targets = [target("Grad-CAM of every shipped cat/dog model vs their predictions, one image",
                      f"≤ {HEATMAP_TARGET:g}×", f"{heat:.2f}× ({', '.join(recipes)})", heat <= HEATMAP_TARGET)]
    tables = [table("Median ms per call, one image, timed in turns", ["what", "ms"], rows),
              table("Ratios (median of per-round ratios)", ["what", "ratio"],
                    [["five heatmaps / five predictions", heat], [f"{MAPS_MODEL}'s feature maps / its prediction", maps]])]
    if Path(CHROMIUM).exists():
        rounds = _paints(1 if quick else 7)
        paints, floors = [r[0] for r in rounds], [r[1] for r in rounds]
        paint, ratio = median(paints), paired_ratio(paints, floors)
        tables.append(table(f"Inside page, {MAPS_MODEL}: photo given → every feature-map grid painted, in turns "
                            "with the floor (a bare page given the same photo shows it), Chromium",
                            ["round", "page s", "floor s", "page / floor", "load (1 min)"],
                            [[i + 1, a, b, a / b, load] for i, (a, b, load) in enumerate(rounds)]))
        targets.append(target("Inside page: feature maps painted after a photo is given (Chromium)",
                              f"≤ {PAINT_TARGET_S:g} s", f"{paint:.2f} s (median of {len(paints)}; floor "
                              f"{median(floors):.2f} s, {ratio:.2f}× it)", paint <= PAINT_TARGET_S))
    else:
        targets.append(target("Inside page: feature maps painted after a photo is given (Chromium)",
                              f"≤ {PAINT_TARGET_S:g} s", "not run: Debian's chromium is not installed", None))
    return {"tables": tables, "targets": targets}
