"""Phone photos: a 12-megapixel, EXIF-rotated JPEG (generated from a cat photo, bench/_photos.py)
from bytes to all five cat/dog verdicts, the app's path (a reduced JPEG decode just large enough
for Predict's photo and the models, core.data.images.open_image's `fit`) against decoding it at
full size, side by side in one process; then the same upload in Chromium on Predict (1280x720),
set against the original small photo."""
from __future__ import annotations

import time

from bench import interleaved, median, paired_ratio, table, target

TITLE = "Phone photos: a 12 MP EXIF-rotated JPEG, bytes → all verdicts (reduced decode vs full size; browser)"
SPEEDUP_TARGET = 3.0
AGREEMENT = 0.01  # the verdicts' probabilities, reduced decode vs full size


def missing() -> str | None:
    from bench import _models

    if not [m for m in _models.present() if m.recipe != "mnist"]:
        return "no cat/dog model is here (trained/ or runs/)"
    return None


def _verdicts(models, data: bytes, fit) -> list[float]:
    from core.data.images import open_image

    image = open_image(data, fit=fit)  # one decoded, upright photo shared by every model
    return [float(model.predict(image).probabilities[1]) for model in models]


def _browser(photos: dict[str, bytes], models: int, rounds: int) -> dict:
    """Seconds from handing Predict the file to every model's verdict shown (and the run over),
    each photo in a fresh session, the photos in turns; and how wide the shown original is sent."""
    import random
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from bench.startup import CHROMIUM, IDLE, IDLE_EXPR, REPO, _server

    folder = Path(tempfile.mkdtemp(prefix="bench-phone-"))
    files = {}
    for name, data in photos.items():
        files[name] = folder / f"{name}.jpg"
        files[name].write_bytes(data)
    seconds, widths = {name: [] for name in photos}, {}
    shuffle = random.Random(0)
    with sync_playwright() as p, _server(REPO) as (url, _, _):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for round_ in range(rounds + 1):  # the first round warms the server's sessions up, untimed
                for name in shuffle.sample(list(photos), len(photos)):
                    context = browser.new_context(viewport={"width": 1280, "height": 720})
                    page = context.new_page()
                    page.goto(f"{url}/predict")
                    page.get_by_test_id("stFileUploaderDropzone").first.wait_for(timeout=120_000)
                    page.wait_for_function(IDLE, timeout=120_000)
                    start = time.perf_counter()
                    page.locator('input[type="file"]').first.set_input_files(str(files[name]))
                    page.wait_for_function(
                        f"n => {IDLE_EXPR} && document.querySelectorAll('[class*=st-key-verdict_] h3').length === n",
                        arg=models, timeout=120_000)
                    if round_:
                        seconds[name].append(time.perf_counter() - start)
                    widths[name] = page.evaluate("() => document.querySelector('[data-testid=stImage] img')?.naturalWidth")
                    context.close()
        finally:
            browser.close()
    return {"seconds": seconds, "shown_width_px": widths}


def run(quick: bool) -> dict:
    from bench import _models
    from bench._photos import cat_photo, phone_photo
    from core.data.images import open_image
    from core.serving.inference import predictor
    from pages._inputs import PHOTO

    models = [predictor(m.path) for m in _models.present() if m.recipe != "mnist"]
    source = cat_photo()
    phone = phone_photo(source)
    fit = (PHOTO, PHOTO)
    rounds = 3 if quick else 15
    samples = interleaved({
        "full-size decode (before)": lambda: _verdicts(models, phone, None),
        "reduced decode (the app's path)": lambda: _verdicts(models, phone, fit),
        "decode alone, full size": lambda: open_image(phone),
        "decode alone, reduced": lambda: open_image(phone, fit=fit),
    }, repeats=rounds)
    full, reduced = samples["full-size decode (before)"], samples["reduced decode (the app's path)"]
    speedup = paired_ratio(full, reduced)
    before, after = _verdicts(models, phone, None), _verdicts(models, phone, fit)
    gap = max(abs(a - b) for a, b in zip(before, after))
    shown = open_image(phone, fit=fit)
    browser = _browser({"phone": phone, "original": source}, len(models), 1 if quick else 5)
    phone_s, original_s = browser["seconds"]["phone"], browser["seconds"]["original"]
    upload_ratio = paired_ratio(phone_s, original_s)
    rows = [[name, median(times) * 1000, min(times) * 1000, paired_ratio(times, reduced)]
            for name, times in samples.items()]
    return {
        "tables": [
            table(f"Bytes → {len(models)} verdicts, in one process, {rounds} interleaved rounds (ms)",
                  ["candidate", "median ms", "min ms", "× the app's path"], rows),
            table("The photos", ["photo", "bytes", "stored size", "decoded for the models", "verdicts (dog probability)"],
                  [["phone (generated)", len(phone), "4032×3024, EXIF orientation 6",
                    f"{shown.width}×{shown.height} (upright)", ", ".join(f"{v:.4f}" for v in after)],
                   ["the same, full-size decode", len(phone), "4032×3024", "3024×4032",
                    ", ".join(f"{v:.4f}" for v in before)]]),
            table(f"In Chromium at 1280×720: upload on Predict → every verdict shown, medians of {len(phone_s)} "
                  "fresh sessions each (seconds)", ["photo", "median s", "× the original", "shown original sent at (px wide)"],
                  [["phone, 12 MP", median(phone_s), upload_ratio, browser["shown_width_px"]["phone"]],
                   ["the original small photo", median(original_s), 1.0, browser["shown_width_px"]["original"]]]),
        ],
        "targets": [
            target("12 MP phone photo, bytes → all verdicts: reduced decode vs full size", f"≥ {SPEEDUP_TARGET:g}× faster",
                   f"{speedup:.2f}× ({median(reduced) * 1000:.0f} ms vs {median(full) * 1000:.0f} ms)",
                   speedup >= SPEEDUP_TARGET),
            target("… the same verdicts", f"within {AGREEMENT:g}", f"largest difference {gap:.4f}", gap <= AGREEMENT),
        ],
        "notes": [
            "The phone photo is generated (bench/_photos.py): the book's first test cat scaled to 3024×4032 with "
            "sensor-like noise, stored sideways (4032×3024) with EXIF orientation 6, JPEG quality 92.",
            f"The app's path: `open_image(data, fit=({PHOTO}, {PHOTO}))` decodes the JPEG at the smallest of 1/1, 1/2, "
            "1/4, 1/8 scale that covers Predict's shown photo (and so every model's 150×150 input; Pillow's draft "
            "mode), turns it upright once, and every model resizes from that one copy. Before: the full 12 MP decode, "
            "turned, then each model's resize from 12 MP.",
            "Browser: one server; each upload in a fresh session after the page is idle, the two photos in turns, "
            "timed from `set_input_files` to every verdict row drawn and the script run over; the first round is "
            "untimed. `shown original sent at`: the natural width of the image the browser received.",
        ],
        "data": {"samples_s": samples, "verdicts_full": before, "verdicts_reduced": after, "browser": browser,
                 "phone_bytes": len(phone)},
    }
