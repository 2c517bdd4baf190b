"""3. Start-up: from `streamlit run app.py` to the home page painted in Chromium (Debian's, driven
by Playwright), the import time of the serving path, and a check that the home page imports no
TensorFlow."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import median, table, target

TITLE = "Start-up: streamlit run → home page painted; serving-path import time"
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAINT_TARGET_S = 2.0
HEAVY = ("tensorflow", "keras", "tf_keras", "tf2onnx", "torch", "jax")
HOME_IMPORTS = f"""
import json, sys, time
from streamlit.testing.v1 import AppTest
start = time.perf_counter()
at = AppTest.from_file("app.py", default_timeout=120).run()
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "titles": [t.value for t in at.title], "exceptions": [str(e.value) for e in at.exception],
                  "heavy": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})}}))
"""


def missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements.txt)"
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install chromium)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _import_time() -> dict:
    """One `python -X importtime` run of the serving path: wall time, the imports' own total
    (top-level cumulative), the heaviest modules by self time, any TensorFlow among them."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import core.serving.inference, core.serving.system"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"importing the serving path failed: {done.stderr[-2000:]}")
    modules, total = [], 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        if len(name) - len(name.lstrip()) == 1:  # nested imports are indented further
            total += int(cumulative)
        modules.append((int(own), name.strip()))
    return {"wall_s": wall, "imports_s": total / 1e6, "heaviest": sorted(modules, reverse=True)[:5],
            "heavy": sorted({n for _, n in modules if n.split(".")[0] in HEAVY})}


def _interpreter() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
    return time.perf_counter() - start


def _home_imports() -> dict:
    done = subprocess.run([sys.executable, "-c", HOME_IMPORTS], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CONVNET_RUNS": tempfile.mkdtemp(prefix="bench-runs-")})
    if done.returncode != 0:
        raise RuntimeError(f"running the home page in AppTest failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cold_start(browser, title: str) -> dict:
    """Spawn the server, open the page as soon as it answers, wait for the home title; then a
    second tab on the warm server."""
    port, runs = _free_port(), tempfile.mkdtemp(prefix="bench-runs-")
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env={**os.environ, "CONVNET_RUNS": runs}, stdout=log, stderr=subprocess.STDOUT)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if server.poll() is not None or time.perf_counter() - start > 120:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start: {log.read().decode()[-2000:]}") from None
                time.sleep(0.05)
        ready = time.perf_counter() - start
        page = context.new_page()
        page.goto(url)
        page.locator("h1", has_text=title).first.wait_for(state="visible", timeout=120_000)
        painted = time.perf_counter() - start
        again = time.perf_counter()
        second = context.new_page()
        second.goto(url)
        second.locator("h1", has_text=title).first.wait_for(state="visible", timeout=120_000)
        warm = time.perf_counter() - again
    finally:
        context.close()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(runs, ignore_errors=True)
    return {"server_ready_s": ready, "first_paint_s": painted, "warm_paint_s": warm}


def run(quick: bool) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from pages.strings import CATALOG

    title = CATALOG["en"]["home.title"]
    rounds = 1 if quick else 5
    starts, imports, interpreter = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for _ in range(rounds):  # the three measurements in turns, so load drifts hit all
                starts.append(_cold_start(browser, title))
                imports.append(_import_time())
                interpreter.append(_interpreter())
        finally:
            browser.close()
    home = _home_imports()
    paint = median([s["first_paint_s"] for s in starts])
    ready = median([s["server_ready_s"] for s in starts])
    warm = median([s["warm_paint_s"] for s in starts])
    import_s, import_wall = median([i["imports_s"] for i in imports]), median([i["wall_s"] for i in imports])
    heavy = sorted(set(home["heavy"]) | {m for i in imports for m in i["heavy"]})
    rows = [
        ["`streamlit run app.py` → server answers /_stcore/health", ready, None],
        ["`streamlit run app.py` → home title painted in Chromium (cold)", paint, f"target ≤ {PAINT_TARGET_S:g} s"],
        ["second tab on the warm server → home title painted", warm, None],
        ["the home page's script alone (app.py + pages/home.py in AppTest, first run)", home["seconds"], None],
        ["`python -c pass` (the interpreter alone)", median(interpreter), None],
        ["`python -X importtime -c 'import core.serving.inference, core.serving.system'`, wall", import_wall, None],
        ["… of which the imports themselves (top-level cumulative)", import_s, None],
    ]
    heaviest = ", ".join(f"{name} {own / 1e3:.0f} ms" for own, name in imports[-1]["heaviest"])
    return {
        "tables": [table(f"Median of {rounds} round(s), seconds", ["what", "seconds", "note"], rows)],
        "targets": [
            target("home page first paint, from `streamlit run`", f"≤ {PAINT_TARGET_S:g} s", f"{paint:.2f} s "
                   f"(server up {ready:.2f} s, warm server {warm:.2f} s)", paint <= PAINT_TARGET_S),
            target("no TensorFlow/Keras on the home page or the serving path", "none imported",
                   ", ".join(heavy) if heavy else "none imported", not heavy),
        ],
        "notes": [
            "Chromium is launched once beforehand; each round starts a fresh `streamlit run` (empty runs dir), polls "
            "the health endpoint every 50 ms, then loads the page and waits for the home title (`h1`) to be visible.",
            f"Heaviest serving-path modules by own import time (last round): {heaviest}.",
            "The TensorFlow check runs the home page through Streamlit's AppTest in a fresh interpreter and lists "
            f"every module of {', '.join(HEAVY)} it left in sys.modules; -X importtime covers the serving path. "
            f"AppTest: titles {home['titles']}, exceptions {home['exceptions'] or 'none'}.",
        ],
        "data": {"rounds": starts, "imports": imports, "interpreter_s": interpreter, "home_page": home},
    }
