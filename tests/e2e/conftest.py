"""The running app in a real browser: Streamlit on a free local port, Debian's chromium
driven by Playwright (never `playwright install`: no downloads)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(runs: Path, checkout: Path = REPO, environ: dict | None = None):
    """`streamlit run app.py` on a free port, from `checkout`, in `environ` (default: ours), until
    the block ends."""
    port = _free_port()
    env = {**(os.environ if environ is None else environ), "CONVNET_RUNS": str(runs)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail(f"streamlit did not start: {server.stdout.read().decode()[-2000:]}")
    try:
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with _serve(tmp_path_factory.mktemp("runs")) as url:
        yield url


@pytest.fixture
def fresh_app_url(tmp_path):
    """A server of its own, so the test's first page is the server's first session."""
    with _serve(tmp_path / "runs") as url:
        yield url


@pytest.fixture(scope="session")
def no_data_app_url(tmp_path_factory):
    """The app as a fresh clone on a machine without the data: the checkout's files copied where
    no ../shared/data lies beside them, no $CONVNET_DATA, a home without Keras' cache."""
    root = tmp_path_factory.mktemp("fresh")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (root / "checkout" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / "checkout" / name)
    environ = {key: value for key, value in os.environ.items() if key not in ("CONVNET_DATA", "KERAS_HOME")}
    with _serve(root / "runs", root / "checkout", {**environ, "HOME": str(root / "home")}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def projector(sized_page):
    """A page at a classroom projector's 1280x720."""
    return sized_page(1280, 720)


@pytest.fixture(scope="session")
def cat_photo() -> bytes:
    """A JPEG to upload: the book's first test cat where the data is here (../shared/data,
    $CONVNET_DATA), else a generated one, so a fresh clone runs the same tests."""
    from bench._photos import cat_photo as photo  # one definition, shared with the benches

    return photo()


@pytest.fixture
def sized_page(browser):
    """A page factory at a given viewport (a projector's 1280x720, a wall screen's 1920x1080)."""
    contexts = []

    def make(width: int, height: int):
        contexts.append(browser.new_context(viewport={"width": width, "height": height}))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()
