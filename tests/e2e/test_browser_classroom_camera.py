"""The classroom command end to end: `python classroom.py` serves over https with its own
certificate, and a student's camera works on Predict. Chromium's fake camera (a synthetic
pattern) stands in for the student's: any verdict will do, every model's must arrive."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.artifacts.rundir import models
from tests.e2e.conftest import CHROMIUM, REPO, _free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def classroom_url(tmp_path):
    """The classroom command on a free port of 127.0.0.1 (a test serves nobody else), its
    certificate in tmp_path; yields the address its banner printed, the banner and the log."""
    port = _free_port()
    log = tmp_path / "classroom.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "classroom.py", "--port", str(port), "--address", "127.0.0.1",
             "--folder", str(tmp_path / "certs")], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "CONVNET_RUNS": str(tmp_path / "runs")}, start_new_session=True)
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while "Ctrl+C" not in log.read_text() and server.poll() is None and time.time() < deadline:
            time.sleep(0.3)  # the banner's last line: Streamlit names the address too, before it
        banner = log.read_text().partition("ConvNet Classroom is served")[2]
        assert f"  {url}\n" in banner, log.read_text()[-3000:]
        yield url, banner, log
    finally:
        server.send_signal(signal.SIGTERM)  # the command stops its Streamlit
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture
def camera_browser(browser):
    """Chromium whose camera is the fake device, granted without asking."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    fake = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    yield fake
    fake.close()


def _seen(page, log) -> str:
    """What the student saw and what the server said, for a failure's message."""
    return f"page:\n{page.inner_text('body')[-3000:]}\n\nserver log:\n{log.read_text()[-3000:]}"


def take_photo(page, take, tries: int = 3) -> None:
    """Take Photo until the snapshot shows, as a student would. Streamlit's camera fits its video
    to its column's width, a second after the width last changed (a scroll bar appearing, say),
    by asking for the stream again; a click before the new stream has frames is dropped without
    a word (tried: a click 1.3 s after a resize took no photo; a click without one always did)."""
    for _ in range(tries):
        take.click()
        try:
            page.get_by_alt_text("Snapshot").wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    pytest.fail(f"{tries} clicks on Take Photo took no photo")


def test_a_student_takes_a_photo_over_https_and_gets_every_verdict(classroom_url, camera_browser):
    url, banner, log = classroom_url
    assert "Advanced → Proceed to" in banner and "進階 → 繼續前往" in banner and "█" in banner
    shipped, _ = models("cats_and_dogs")
    usable = [i for i, info in enumerate(shipped) if info.ok]
    assert len(usable) == 5, "the five shipped cat/dog models are missing from trained/"
    context = camera_browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1600})
    try:
        page = context.new_page()
        page.goto(f"{url}/predict")
        page.get_by_text("Use the camera").click(timeout=60_000)
        take = page.get_by_role("button", name="Take Photo")
        take.wait_for(timeout=30_000)
        page.wait_for_function("() => [...document.querySelectorAll('video')].some(v => v.readyState >= 2)",
                               timeout=30_000)  # the fake camera streams
        take_photo(page, take)
        for i in usable:
            try:
                page.locator(f".st-key-verdict_{i} h3").wait_for(timeout=60_000)
            except PlaywrightTimeout:
                pytest.fail(f"no verdict {i} in 60 s\n{_seen(page, log)}")
            assert re.search(r"\d+\.\d%", page.locator(f".st-key-verdict_{i} h3").inner_text())
        assert page.evaluate("() => location.protocol") == "https:"
        page.screenshot(path="/tmp/classroom_camera.png")
    finally:
        context.close()
