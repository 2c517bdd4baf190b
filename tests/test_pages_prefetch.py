"""What a first visit waits for: the prefetch of the other pages' element code (pages/_prefetch.py)
names chunks that exist in this Streamlit's bundle, and every page's run sends it, in the sidebar,
after the page; the server watches no source files."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages import _prefetch

REPO = Path(__file__).resolve().parents[1]


def test_every_element_has_one_chunk_in_this_streamlits_bundle():
    """A Streamlit upgrade that renames a chunk fails here, not by prefetching nothing."""
    names = [name.split(".")[0] for name in _prefetch.chunks()]
    assert names == list(_prefetch.ELEMENTS)
    assert all((_prefetch.STATIC_JS / name).is_file() for name in _prefetch.chunks())


def test_the_app_sends_the_prefetch_after_the_page():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    bodies = [element.proto.body for element in at.sidebar.get("html")]
    assert any(all(name in body for name in _prefetch.chunks()) for body in bodies)
    assert at.title[0].value  # the page itself was drawn first



@pytest.mark.slow  # a fresh interpreter
def test_the_server_watches_no_source_files():
    """Streamlit reads the app's config from the folder it runs in: with the file watcher on, every run
    that imported a module had the server resolve every module's path on its event loop before that
    run's last messages went out (.streamlit/config.toml)."""
    read = ("from streamlit import config\nconfig.get_config_options(force_reparse=True)\n"
            "print(config.get_option('server.fileWatcherType'))")
    done = subprocess.run([sys.executable, "-c", read], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "none", done.stderr[-2000:]
