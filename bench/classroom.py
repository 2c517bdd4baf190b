"""A whole class at once: 30 browser sessions (Playwright contexts in one Debian chromium) on
one server at 127.0.0.1, each uploading a different photo on Predict at the same moment. Every
session must get every model's verdict, and its own: the verdicts shown are checked against
the photo's own, computed in this process. Time to the last verdict (p50/p95) and the server's
memory (RSS), within a time bound."""
from __future__ import annotations

import io
import threading
import time

from bench import median, p95, table, target

TITLE = "A whole class at once: 30 sessions upload a photo on Predict together"
SESSIONS = 30
DEADLINE_S = 420  # the whole class's bound, from the uploads to the last verdict
WATCH = """n => {
  window.__class = {};
  const input = document.querySelector('input[type=file]');
  input.addEventListener('change', () => { window.__class.start = performance.now(); }, {capture: true});
  const done = () => document.querySelectorAll('[class*=st-key-verdict_] h3').length === n
    && document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-stale=true]');
  new MutationObserver(() => {
    if (window.__class.start && !window.__class.end && done()) window.__class.end = performance.now();
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""
SHOWN = """() => [...document.querySelectorAll('[class*=st-key-verdict_]')].map(row =>
  [row.querySelector('strong')?.innerText, row.querySelector('h3')?.innerText])"""


def missing() -> str | None:
    from bench import _models
    from bench.startup import missing as no_browser

    if not [m for m in _models.present() if m.recipe != "mnist"]:
        return "no cat/dog model is here (trained/ or runs/)"
    return no_browser()


def photos(count: int) -> list[bytes]:
    """`count` different photos, cats and dogs in turns from the test split, else generated."""
    import numpy as np
    from PIL import Image

    from core.data.folders import DataFolderError, cats_dogs_root

    try:
        root = cats_dogs_root() / "test"
        cats, dogs = sorted((root / "cats").glob("*.jpg")), sorted((root / "dogs").glob("*.jpg"))
        chosen = [p for pair in zip(cats, dogs) for p in pair][:count]
        if len(chosen) == count:
            return [p.read_bytes() for p in chosen]
    except DataFolderError:
        pass
    made = []
    for seed in range(count):
        buffer = io.BytesIO()
        pixels = np.random.default_rng(seed).integers(0, 256, (300, 400, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
        made.append(buffer.getvalue())
    return made


def expected(models, data: bytes) -> list[list[str]]:
    """What Predict shows for this photo, [model name, "label · confidence"] per model, in English."""
    from core.data.images import open_image
    from pages._inputs import PHOTO
    from pages.strings import CATALOG

    image = open_image(data, fit=(PHOTO, PHOTO))
    rows = []
    for recipe, model in models:
        prediction = model.predict(image)
        name = model.display_names["en"][prediction.labels.index(prediction.label)]
        rows.append([CATALOG["en"][f"recipe.{recipe}"], f"{name} · {prediction.confidence:.1%}"])
    return rows


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


class Memory(threading.Thread):
    """The server's resident memory, sampled every 0.25 s until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stopped = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            try:
                self.samples.append(_rss_mb(self.pid))
            except (OSError, StopIteration):
                return


def run(quick: bool) -> dict:
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from bench import _models
    from bench.startup import CHROMIUM, IDLE, REPO, _server
    from core.serving.inference import predictor

    models = [(m.recipe, predictor(m.path)) for m in _models.present() if m.recipe != "mnist"]
    count = 5 if quick else SESSIONS
    folder = Path(tempfile.mkdtemp(prefix="bench-class-"))
    files, truth = [], []
    for i, data in enumerate(photos(count)):
        files.append(folder / f"photo{i:02d}.jpg")
        files[-1].write_bytes(data)
        truth.append(expected(models, data))
    distinct = len({str(rows) for rows in truth})
    with sync_playwright() as p, _server(REPO) as (url, _, server):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages = []
        try:
            def open_predict():
                page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
                page.goto(f"{url}/predict")
                page.get_by_test_id("stFileUploaderDropzone").first.wait_for(timeout=180_000)
                page.wait_for_function(IDLE, timeout=180_000)
                return page

            teacher = open_predict()  # the teacher tries it first: the models' sessions open (untimed)
            teacher.locator('input[type="file"]').first.set_input_files(str(files[0]))
            teacher.wait_for_function("n => document.querySelectorAll('[class*=st-key-verdict_] h3').length === n",
                                      arg=len(models), timeout=180_000)
            opened = time.perf_counter()
            pages = [open_predict() for _ in range(count)]
            opening_s = time.perf_counter() - opened
            for page in pages:
                page.evaluate(WATCH, len(models))
            before = _rss_mb(server.pid)
            memory = Memory(server.pid)
            memory.start()
            fired = time.perf_counter()
            for page, file in zip(pages, files):  # as fast as one client can: within a second or two
                page.locator('input[type="file"]').first.set_input_files(str(file))
            spread = time.perf_counter() - fired
            state = [None] * count
            while time.perf_counter() - fired < DEADLINE_S and any(s is None or "end" not in s for s in state):
                time.sleep(0.5)
                state = [page.evaluate("() => window.__class") for page in pages]
            total = time.perf_counter() - fired
            memory.stopped.set()
            after = _rss_mb(server.pid)
            shown = [page.evaluate(SHOWN) for page in pages]
        finally:
            browser.close()
    seconds = [(s["end"] - s["start"]) / 1000 for s in state if s and "end" in s and "start" in s]
    complete = [len(rows) == len(models) and all(verdict for _, verdict in rows) for rows in shown]
    own = [sorted(rows) == sorted(expected_rows) for rows, expected_rows in zip(shown, truth)]
    others = sum(1 for i, rows in enumerate(shown) if not own[i] and any(
        sorted(rows) == sorted(t) for j, t in enumerate(truth) if j != i))
    peak = max(memory.samples, default=after)
    everyone = sum(complete) == count and len(seconds) == count
    return {
        "tables": [
            table(f"{count} sessions upload {count} different photos on Predict at once, {len(models)} models each",
                  ["what", "value"], [
                      ["sessions with every verdict (within the bound)", f"{sum(complete)} of {count}"],
                      ["sessions shown their own photo's verdicts", f"{sum(own)} of {count}"],
                      ["sessions shown another photo's verdicts", others],
                      ["time to the last verdict, p50 (s)", median(seconds) if seconds else None],
                      ["time to the last verdict, p95 (s)", p95(seconds) if seconds else None],
                      ["time to the last verdict, slowest (s)", max(seconds) if seconds else None],
                      ["the whole class done, from the first upload (s)", total],
                      ["uploads handed to the sessions over (s)", spread],
                      ["server RSS before the uploads (MB)", before],
                      ["server RSS, peak during (MB)", peak],
                      ["server RSS after (MB)", after],
                      [f"opening {count} sessions on Predict, one after another (s)", opening_s],
                  ]),
        ],
        "targets": [
            target(f"{count} sessions at once: every session gets every verdict, its own", "all",
                   f"{sum(complete)} of {count} complete, {sum(own)} their own, {others} another's",
                   everyone and sum(own) == count),
            target(f"{count} sessions at once: time to the last verdict", f"p95 ≤ {DEADLINE_S} s (the bound)",
                   f"p50 {median(seconds):.1f} s, p95 {p95(seconds):.1f} s; server RSS {before:.0f} → peak "
                   f"{peak:.0f} MB" if seconds else "no session finished", bool(seconds) and everyone),
        ],
        "notes": [
            "One `streamlit run app.py` on 127.0.0.1; one Debian chromium with a browser context (its own session) "
            "per student at 1280×720. The teacher's session uploads a photo first (the models' onnxruntime sessions "
            "open, once per server); then every student's Predict is opened, and the uploads are handed to the "
            "sessions one after another as fast as Playwright can.",
            "Each session's time runs in the page's own clock, from its file input's change event to every verdict "
            "row drawn and the script run over. The browsers share the server's 2 cores here (in a classroom each "
            "student's device draws its own page), so the times are an upper bound.",
            f"Photos: {count} different test photos, cats and dogs in turns ({distinct} distinct sets of verdicts); "
            "a session's verdicts are its own when every model's label and confidence match those computed in this "
            "process for its photo.",
        ],
        "data": {"seconds": seconds, "rss_mb": memory.samples, "shown": shown, "expected": truth},
    }
