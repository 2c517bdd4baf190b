"""3. Start-up: this app against bare Streamlit apps, side by side on fresh servers, in
Debian's chromium (driven by Playwright) at a projector's 1280x720: Home's cold first paint,
every registered page's first visit from the menu and by deep link on a fresh server, and one
explainer slider step redrawn. Two floors, each Streamlit's router with nothing of this app's:
the bare app's one-line pages (`st.title("x")`, as many as this app's), and the floor app's pages,
each showing as many elements of each kind as its page of this app shows when painted (plotly
charts, data frames, sliders...), each at its smallest: what this stack itself costs to paint
that many elements."""
from __future__ import annotations

import ast
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import median, paired_ratio, table, target

TITLE = "Start-up: this app vs a bare Streamlit app (cold paint, first visits, a slider step)"
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAINT_TARGET, VISIT_TARGET, STEP_TARGET_S = 1.2, 1.5, 0.5
HEAVY = ("tensorflow", "keras", "tf_keras", "tf2onnx", "torch", "jax")
BARE_PAGES = [f"p{i}" for i in range(1, 11)]  # as many pages as this app's besides Home: ten first visits a round
BARE = {  # the floor: Streamlit's own router over one-line pages, no pages/ folder
    "app.py": "import streamlit as st\n\nst.navigation([st.Page(\"x.py\", default=True)] + [st.Page(f\"p{i}.py\") "
              "for i in range(1, 11)]).run()\n",
    "x.py": 'import streamlit as st\n\nst.title("x")\n',
    **{f"{name}.py": f'import streamlit as st\n\nst.title("{name}")\n' for name in BARE_PAGES},
}
LEGACY = {  # the same in a pages/ folder, with this app's way out of the legacy pages mode
    "app.py": 'import streamlit as st\n\nst.navigation([st.Page("pages/x.py", default=True), st.Page("pages/y.py")]).run()\n',
    "pages/__init__.py": (REPO / "pages" / "__init__.py").read_text(),
    "pages/x.py": 'import streamlit as st\n\nimport pages  # noqa: F401\n\nst.title("x")\n',
    "pages/y.py": 'import streamlit as st\n\nimport pages  # noqa: F401\n\nst.title("y")\n',
}
# an element a page shows (its data-testid) -> the same element on a floor page, at its smallest ({i}: its number;
# {home}: the floor app's default page)
KINDS = {
    "stPlotlyChart": "st.plotly_chart(go.Figure(go.Scatter(x=[0, 1], y=[0, {i}])))",
    "stDataFrame": 'st.dataframe([{{"a": {i}, "b": 2}}])',
    "stImage": "st.image(np.full((8, 8, 3), {i}, np.uint8))",
    "stSlider": 'st.slider("s{i}", 0, 9)',
    "stSelectbox": 'st.selectbox("s{i}", ["a", "b"])',
    "stMultiSelect": 'st.multiselect("m{i}", ["a", "b"], ["a"])',
    "stButtonGroup": 'st.segmented_control("g{i}", ["a", "b"], default="a")',
    "stCheckbox": 'st.checkbox("c{i}")',
    "stNumberInput": 'st.number_input("n{i}")',
    "stFileUploader": 'st.file_uploader("f{i}")',
    "stButton": 'st.button("b{i}")',
    "stMetric": 'st.metric("m{i}", {i})',
    "stTabs": 'st.tabs(["a{i}", "b"])[0].write("a")',
    "stExpander": 'st.expander("e{i}").write("e")',
    "stCode": 'st.code("x = {i}")',
    "stAlert": 'st.info("i{i}")',
    "stPageLink": 'st.page_link("{home}.py", label="home {i}")',
    "stHorizontalBlock": 'st.columns(2)[0].write("c{i}")',  # a row of columns
    "stCaptionContainer": 'st.caption("c{i}")',
}
# how many of each KINDS a painted page shows in its main area (the sidebar is the same on every page of the app)
KINDS_SEEN = ("kinds => Object.fromEntries(kinds.map(k => [k, document.querySelectorAll(`[data-testid=stMain] "
              "[data-testid=${k}]`).length]).filter(([, n]) => n))")
IDLE_EXPR = ("document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
             " && !document.querySelector('[data-stale=true]')")  # the script run over, nothing stale
IDLE = f"() => {IDLE_EXPR}"
# the page painted: its title shown, its script run over with nothing stale, every chart drawn by
# plotly.js (its SVG there), every image decoded, no skeleton waiting for an element
PAINTED = ("title => [...document.querySelectorAll('[data-testid=stMain] h1')].some(h => h.textContent.trim() === title)"
           f" && {IDLE_EXPR}"
           " && [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))"
           " && [...document.querySelectorAll('[data-testid=stMain] img')].every(i => i.complete)"
           " && !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')")
# counts the script runs the browser sees start: a run that starts and ends between two polls
# (a page's st.rerun) still shows, so "painted" is only taken once no further run follows it
RUNS = """new MutationObserver(records => { for (const r of records) if (r.target.dataset?.testScriptState === 'running')
  window.__runs = (window.__runs || 0) + 1; }).observe(document, {subtree: true, attributes: true,
  attributeFilter: ['data-test-script-state']});"""
STABLE_S = 0.3  # painted, and no new run started this long after: the time taken is the first moment
QUIET_CPU = 0.1  # the server is idle when it uses under this share of a core ...
QUIET_S = 0.3  # ... over this long
HOME_IMPORTS = f"""
import json, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
print(json.dumps({{"titles": [t.value for t in at.title], "exceptions": [str(e.value) for e in at.exception],
                  "heavy": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})}}))
"""
PAGE_IMPORTS = """
import importlib, json, sys, time
import streamlit  # what the server has imported before a session's first run
before = set(sys.modules)
start = time.perf_counter()
for name, names in json.loads(sys.argv[1]):
    module = importlib.import_module(name)
    for attr in names:  # `from pages import _components` imports a submodule
        if not hasattr(module, attr):
            importlib.import_module(f"{name}.{attr}")
seconds = time.perf_counter() - start
roots = sorted({m.split(".")[0] for m in set(sys.modules) - before} & set(json.loads(sys.argv[2])))
print(json.dumps({"seconds": seconds, "notable": roots}))
"""
NOTABLE = ("onnxruntime", "pandas", "plotly", "numpy", "PIL", "scipy", "pyarrow", "imagehash", "onnx") + HEAVY


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


@contextlib.contextmanager
def _server(folder: Path, environ: dict | None = None):
    """`streamlit run app.py` in `folder` on a free port (an empty runs dir; `environ` added to
    ours); yields (url, the moment it was spawned, its process) once its health endpoint answers."""
    port, runs = _free_port(), tempfile.mkdtemp(prefix="bench-runs-")
    url, log = f"http://127.0.0.1:{port}", tempfile.TemporaryFile()
    spawned = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=folder, env={**os.environ, "CONVNET_RUNS": runs, **(environ or {})}, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if server.poll() is not None or time.perf_counter() - spawned > 120:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start: {log.read().decode()[-2000:]}") from None
                time.sleep(0.05)
        yield url, spawned, server
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(runs, ignore_errors=True)


def _processes() -> dict[int, tuple[str, int, float]]:
    """Every process: pid -> (name, parent pid, CPU seconds used), from /proc."""
    found, tick = {}, os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
            found[int(entry)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)  # utime + stime
    return found


def _cpu_seconds(server: subprocess.Popen) -> tuple[float, float]:
    """CPU seconds used so far by the server and by the browser (this process's chromium children)."""
    found = _processes()

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = found.get(pid, ("", 0, 0.0))[1]
        return False

    browser = sum(cpu for pid, (name, _, cpu) in found.items() if "chrom" in name and ours(pid))
    return found.get(server.pid, ("", 0, 0.0))[2], browser


def _quiet(server: subprocess.Popen, limit_s: float = 30) -> float:
    """Wait until the server and the browser are idle (a reader on the page: the server's threads
    done with the last run, the browser done drawing): each under QUIET_CPU of a core for QUIET_S.
    Returns the seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit_s:
        before = _cpu_seconds(server)
        time.sleep(QUIET_S)
        if all(b - a < QUIET_CPU * QUIET_S for a, b in zip(before, _cpu_seconds(server))):
            break
    return time.perf_counter() - start


def _painted(page, title: str) -> float:
    """The moment the page `title` was painted (PAINTED), once no script run has followed it for
    STABLE_S: the whole page, not its first frame."""
    while True:  # the runs seen when it was painted, read in the same evaluation (+1: truthy)
        runs = page.wait_for_function(f"title => ({PAINTED})(title) && (window.__runs || 0) + 1", arg=title,
                                      timeout=180_000).json_value() - 1
        moment = time.perf_counter()
        time.sleep(STABLE_S)
        if page.evaluate("() => window.__runs || 0") == runs and page.evaluate(PAINTED, title):
            return moment


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(RUNS)
    return context


def _visits(browser, folder: Path, titles: dict[str, str], menu: dict[str, str], environ: dict | None = None) -> dict:
    """One fresh server: the default page's cold paint (from spawning the server), then each
    other page's first visit from the sidebar menu: from the click, with the server idle, to the
    page painted (PAINTED)."""
    context = _context(browser)
    try:
        with _server(folder, environ) as (url, spawned, server):
            page = context.new_page()
            page.goto(url)
            first = next(iter(titles))
            result = {"cold_s": _painted(page, titles[first]) - spawned, "menu_s": {}, "load": {}}
            for name, title in list(titles.items())[1:]:
                _quiet(server)
                result["load"][name] = round(os.getloadavg()[0], 2)
                link = page.get_by_test_id("stSidebarNav").get_by_text(menu[name], exact=True)
                link.wait_for(timeout=120_000)
                start = time.perf_counter()
                link.click(timeout=120_000)
                result["menu_s"][name] = _painted(page, title) - start
            return result
    finally:
        context.close()


def _deep_link(browser, folder: Path, path: str, title: str) -> float:
    """A fresh server's first session opens `/<path>`: seconds from the request, with the
    server idle, to the page painted (PAINTED)."""
    context = _context(browser)
    try:
        with _server(folder) as (url, _, server):
            page = context.new_page()
            _quiet(server)
            start = time.perf_counter()
            page.goto(f"{url}/{path}")
            return _painted(page, title) - start
    finally:
        context.close()


def _kinds(browser, titles: dict[str, str], home: str) -> dict[str, dict[str, int]]:
    """How many elements of each kind (KINDS) each page shows once painted after a deep link:
    what its floor page shows. One server, untimed."""
    context = _context(browser)
    try:
        with _server(REPO) as (url, _, _server_process):
            page, found = context.new_page(), {}
            for name, title in titles.items():
                page.goto(f"{url}/{'' if name == home else name}")
                _painted(page, title)
                found[name] = page.evaluate(KINDS_SEEN, list(KINDS))
            return found
    finally:
        context.close()


def _floor_app(folder: Path, kinds: dict[str, dict[str, int]], default: str) -> None:
    """Streamlit's router over one page per page of this app, named and titled by its name,
    showing as many elements of each kind as its page shows (KINDS, each at its smallest), and
    nothing else."""
    names = [default] + [name for name in kinds if name != default]
    (folder / "app.py").write_text("import streamlit as st\n\nst.navigation([" + ", ".join(
        f"st.Page({name + '.py'!r}, title={name!r}{', default=True' if name == default else ''})" for name in names)
        + "]).run()\n")
    for name in names:
        shown = kinds.get(name, {})
        imports = ["import numpy as np"] * ("stImage" in shown) + ["import plotly.graph_objects as go"] * (
            "stPlotlyChart" in shown) + ["import streamlit as st"]
        (folder / f"{name}.py").write_text("\n".join(imports) + f"\n\nst.title({name!r})\n" + "".join(
            KINDS[kind].format(i=i, home=default) + "\n" for kind, count in shown.items() for i in range(count)))


def _slider_steps(browser, steps: int, catalog: dict) -> list[float]:
    """Convolution's window slider, one step at a time (keyboard): seconds from the key to the
    step's sum shown for the new window and the fragment's rerun over, nothing stale."""
    context = _context(browser)
    try:
        with _server(REPO) as (url, _, server):
            page = context.new_page()
            page.goto(f"{url}/convolution")
            _painted(page, catalog["convolution.title"])
            label = page.get_by_test_id("stMetricLabel").first
            slider = page.get_by_test_id("stSlider").filter(
                has_text=catalog["components.step"].split("(")[0].strip()).get_by_role("slider")
            seconds = []
            for _ in range(steps + 1):  # the first step warms the fragment's path up, untimed
                _quiet(server)
                before = label.inner_text()
                slider.focus()
                start = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(f"before => {IDLE_EXPR} && document.querySelector("
                                       "'[data-testid=stMetricLabel]').innerText !== before", arg=before,
                                       timeout=60_000)
                seconds.append(time.perf_counter() - start)
            return seconds[1:]
    finally:
        context.close()


def _page_imports(name: str) -> dict:
    """What a page's deep link has to import beyond Streamlit itself: its own top-level imports
    (and app.py's), timed in a fresh interpreter that has imported Streamlit first."""
    modules = []
    for file in (REPO / "app.py", REPO / "pages" / f"{name}.py"):
        for node in ast.parse(file.read_text()).body:
            if isinstance(node, ast.Import):
                modules += [(alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.append((node.module, [alias.name for alias in node.names]))
    done = subprocess.run([sys.executable, "-c", PAGE_IMPORTS, json.dumps(modules), json.dumps(NOTABLE)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"importing {name}'s modules failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _home_imports() -> dict:
    done = subprocess.run([sys.executable, "-c", HOME_IMPORTS], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CONVNET_RUNS": tempfile.mkdtemp(prefix="bench-runs-")})
    if done.returncode != 0:
        raise RuntimeError(f"running the home page in AppTest failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio_row(what: str, app: list[float], bare: list[float], goal: float | None) -> list:
    ratio = paired_ratio(app, bare)
    return [what, median(app), median(bare), round(ratio, 2), f"≤ {goal:g}×" if goal else None,
            None if goal is None else ("met" if ratio <= goal else "missed")]


def run(quick: bool) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from pages._registry import HOME, PAGES
    from pages.strings import CATALOG

    en = CATALOG["en"]
    titles = {page.name: en[f"{page.name}.title"] for page in PAGES}
    menu = {page.name: en[f"{page.name}.nav"] for page in PAGES}
    others = [page.name for page in PAGES if page != HOME]
    rounds, steps = (1, 3) if quick else (5, 5)
    bare_dir, legacy_dir, floor_dir = (Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
                                       for kind in ("bare", "legacy", "floor"))
    for folder, files in ((bare_dir, BARE), (legacy_dir, LEGACY)):
        for name, text in files.items():
            (folder / name).parent.mkdir(exist_ok=True)
            (folder / name).write_text(text)
    # the models' checksums recorded (core.artifacts.files), as on every start but the first; a first start
    # (after a clone, or with a model changed) is timed too, with a cache dir of its own
    record, previous = tempfile.mkdtemp(prefix="bench-cache-"), os.environ.get("CONVNET_CACHE")
    os.environ["CONVNET_CACHE"] = record
    from core.artifacts.rundir import list_runs
    from core.paths import TRAINED_DIR

    list_runs(TRAINED_DIR)
    app, first, bare, floor, slider, loads = [], [], [], [], [], []
    app_deep, floor_deep = ({name: [] for name in others} for _ in range(2))
    bare_deep, legacy_deep = [], []
    shuffle = random.Random(0)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            kinds = _kinds(browser, titles, HOME.name)
            _floor_app(floor_dir, kinds, HOME.name)
            for _ in range(rounds):  # every candidate once per round, in a fresh order
                loads.append(round(os.getloadavg()[0], 2))
                jobs = [("app", None), ("first", None), ("bare", None), ("floor", None), ("bare_deep", None),
                        ("legacy_deep", None)] + [
                    (kind, n) for n in others for kind in ("app_deep", "floor_deep")]
                shuffle.shuffle(jobs)
                for kind, name in jobs:
                    if kind == "app":
                        app.append(_visits(browser, REPO, titles, menu))
                    elif kind == "first":
                        first.append(_visits(browser, REPO, {HOME.name: titles[HOME.name]}, {},
                                             {"CONVNET_CACHE": tempfile.mkdtemp(dir=record)}))
                    elif kind == "bare":
                        bare.append(_visits(browser, bare_dir, {"x": "x", **{n: n for n in BARE_PAGES}},
                                            {n: n for n in BARE_PAGES}))
                    elif kind == "floor":
                        floor.append(_visits(browser, floor_dir, {n: n for n in titles}, {n: n for n in titles}))
                    elif kind == "bare_deep":
                        bare_deep.append(_deep_link(browser, bare_dir, "p1", "p1"))
                    elif kind == "legacy_deep":
                        legacy_deep.append(_deep_link(browser, legacy_dir, "y", "y"))
                    elif kind == "floor_deep":
                        floor_deep[name].append(_deep_link(browser, floor_dir, name, name))
                    else:
                        app_deep[name].append(_deep_link(browser, REPO, name, titles[name]))
            slider = _slider_steps(browser, steps, en)
        finally:
            browser.close()
            if previous is None:
                os.environ.pop("CONVNET_CACHE")
            else:
                os.environ["CONVNET_CACHE"] = previous
    for folder in (bare_dir, legacy_dir, floor_dir, record):
        shutil.rmtree(folder, ignore_errors=True)
    imports = {name: _page_imports(name) for name in [HOME.name, *others]}
    home = _home_imports()
    bare_cold = [r["cold_s"] for r in bare]
    bare_menu = [median(list(r["menu_s"].values())) for r in bare]  # a round's: the median of its ten first visits
    home_cold = [r["cold_s"] for r in app]
    paint = _ratio_row("Home: server spawned → page painted (cold)", home_cold, bare_cold, PAINT_TARGET)
    first_paint = _ratio_row("Home: the same on a first start (no checksums recorded yet)",
                             [r["cold_s"] for r in first], bare_cold, PAINT_TARGET)
    menu_rows = [_ratio_row(f"{name}: first visit from the menu", [r["menu_s"][name] for r in app], bare_menu,
                            VISIT_TARGET) for name in others]
    deep_rows = [_ratio_row(f"{name}: deep link on a fresh server", app_deep[name], bare_deep, VISIT_TARGET)
                 for name in others]
    legacy = _ratio_row("the bare app in a pages/ folder, leaving the legacy mode as this app does: deep link",
                        legacy_deep, bare_deep, None)
    floor_paint = _ratio_row("Home: server spawned → page painted (cold)", home_cold, [r["cold_s"] for r in floor],
                             PAINT_TARGET)
    floor_menu = [_ratio_row(f"{name}: first visit from the menu", [r["menu_s"][name] for r in app],
                             [r["menu_s"][name] for r in floor], VISIT_TARGET) for name in others]
    floor_deep_rows = [_ratio_row(f"{name}: deep link on a fresh server", app_deep[name], floor_deep[name],
                                  VISIT_TARGET) for name in others]
    stack = [[name, ", ".join(f"{k.removeprefix('st')} ×{n}" for k, n in kinds[name].items()) or "–",
              round(paired_ratio(floor_deep[name], bare_deep), 2)] for name in others]
    heavy = sorted(set(home["heavy"]))
    step = median(slider)

    def worst(rows):
        return max(rows, key=lambda r: r[3])

    def listing(rows):
        return ", ".join(f"{r[0].split(':')[0]} {r[3]:.2f}×" for r in rows)

    def visits(what, rows, floor_name):
        return target(f"every page's {what} vs {floor_name}", f"≤ {VISIT_TARGET:g}×",
                      f"worst {worst(rows)[3]:.2f}× ({worst(rows)[0].split(':')[0]}); {listing(rows)}",
                      worst(rows)[3] <= VISIT_TARGET)

    columns = ["what", "app s", "bare s", "× bare", "target", "result"]
    floor_columns = ["what", "app s", "floor s", "× floor", "target", "result"]
    return {
        "tables": [
            table(f"This app vs the bare app (one-line pages), medians of {rounds} round(s) (seconds; × bare: the "
                  "median of per-round ratios)", columns, [paint, first_paint] + menu_rows + deep_rows + [legacy]),
            table(f"This app vs the floor app (each page's elements, nothing else), medians of {rounds} "
                  "round(s)", floor_columns, [floor_paint] + floor_menu + floor_deep_rows),
            table("What the stack itself costs: each floor page by deep link vs the bare app's one-line page (median "
                  "of per-round ratios)", ["page", "elements its floor page shows", "floor × bare"], stack),
            table(f"One step of Convolution's window slider (keyboard) redrawn, {len(slider)} steps",
                  ["what", "median s", "max s", "target"], [["key → new window's sum shown, rerun over", step,
                                                             max(slider), f"≤ {STEP_TARGET_S:g} s"]]),
            table("What a deep link imports beyond Streamlit (app.py's and the page's own imports, a fresh "
                  "interpreter; one run)", ["page", "import s", "among them"],
                  [[name, imports[name]["seconds"], ", ".join(imports[name]["notable"]) or "–"] for name in imports]),
        ],
        "targets": [
            target("Home's cold first paint vs the bare app's", f"≤ {PAINT_TARGET:g}×",
                   f"{paint[3]:.2f}× ({paint[1]:.2f} s vs {paint[2]:.2f} s)", paint[3] <= PAINT_TARGET),
            target("Home's cold first paint vs the bare app's, on a first start (no checksums recorded)",
                   f"≤ {PAINT_TARGET:g}×", f"{first_paint[3]:.2f}× ({first_paint[1]:.2f} s vs {first_paint[2]:.2f} s)",
                   first_paint[3] <= PAINT_TARGET),
            target("Home's cold first paint vs its floor page's", f"≤ {PAINT_TARGET:g}×",
                   f"{floor_paint[3]:.2f}× ({floor_paint[1]:.2f} s vs {floor_paint[2]:.2f} s)",
                   floor_paint[3] <= PAINT_TARGET),
            visits("first visit from the menu", floor_menu, "its floor page's"),
            visits("deep link on a fresh server", floor_deep_rows, "its floor page's"),
            visits("first visit from the menu", menu_rows, "the bare app's one-line page's"),
            visits("deep link on a fresh server", deep_rows, "the bare app's one-line page's"),
            target("one explainer slider step redrawn (Convolution, 1280×720)", f"≤ {STEP_TARGET_S:g} s",
                   f"{step:.2f} s (max {max(slider):.2f} s)", step <= STEP_TARGET_S),
            target("no TensorFlow/Keras on the home page", "none imported",
                   ", ".join(heavy) if heavy else "none imported", not heavy),
        ],
        "notes": [
            "Chromium (Debian's, through Playwright) is launched once; every measurement starts its own "
            "`streamlit run` (empty runs dir) and its own browser context at 1280×720. A round runs every candidate "
            "once, in a fresh order: this app's cold start (then each page from the sidebar menu, in menu order), "
            "the bare app's (then each of its ten other pages), the floor app's (then each of its pages), and a "
            "fresh server per deep link. Every server of this app finds the models' checksums recorded in the cache "
            "dir (core.artifacts.files), as every start but the first does, except one more cold start per round "
            "with an empty cache dir: a first start, which hashes the shipped models (116 MB).",
            "The bare app: `st.navigation` over eleven pages whose whole script is `st.title(...)`, in a temporary "
            "folder (no pages/ folder, so no legacy pages mode). The floor app: the same router over one page per "
            "page of this app, whose script is its title and as many elements of each kind (KINDS in "
            "bench/startup.py: two-point plotly charts, one-row data frames, sliders...) as this app's page shows "
            "once painted after a deep link (counted in the same run: the third table). The floor is what "
            "Streamlit, plotly.js and "
            "the browser cost to show those elements at all; the ratio to it is what this app's own code adds.",
            "Cold paint: from spawning the server to the default page painted; a visit: from the click (or the "
            "request), made once the server's process "
            f"and the browser's are idle (each under {QUIET_CPU:.0%} of a core for {QUIET_S:g} s: a reader on the "
            "previous page), to the page painted: its title shown, the script "
            "run over with nothing stale, every plotly chart drawn (its SVG there), every image decoded, no "
            f"skeleton, and no further script run started within {STABLE_S:g} s (a page's own rerun counts). The bare "
            "app's first visit in a round is the median of its ten (each page visited once), so one noisy click "
            "does not set a round's ratios.",
            f"Load average (1 min) at the start of each round: {loads}; at each menu click: in data.app[].load.",
            "A deep link on a fresh server pays for every import the page needs (the last table), while a visit "
            "from the menu comes after Home has imported the shared ones; the legacy-pages rerun "
            "(pages/__init__.py) comes after the page's core imports (they stay in sys.modules).",
            f"The TensorFlow check runs the home page through AppTest in a fresh interpreter: titles "
            f"{home['titles']}, exceptions {home['exceptions'] or 'none'}.",
        ],
        "data": {"app": app, "first_start": first, "bare": bare, "floor": floor, "app_deep": app_deep, "bare_deep": bare_deep,
                 "floor_deep": floor_deep, "legacy_deep": legacy_deep, "kinds": kinds, "slider_s": slider,
                 "load_per_round": loads, "imports": imports, "home_page": home},
    }
