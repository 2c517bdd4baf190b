"""What a first visit waits for: the prefetch of the other pages' element code (pages/_prefetch.py)
names chunks that exist in this Streamlit's bundle, and every page's run sends it, in the sidebar,
after the page; the server watches no source files."""
from __future__ import annotations

import ast
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
def test_the_server_watches_no_source_files_and_rewrites_no_page():
    """Streamlit reads the app's config from the folder it runs in (.streamlit/config.toml). With the
    file watcher on, every run that imported a module had the server resolve every module's path on
    its event loop before that run's last messages went out; with magic on, each page's syntax tree
    was rewritten on its first visit."""
    read = ("from streamlit import config\nconfig.get_config_options(force_reparse=True)\n"
            "print(config.get_option('server.fileWatcherType'), config.get_option('runner.magicEnabled'))")
    done = subprocess.run([sys.executable, "-c", read], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["none", "False"], done.stderr[-2000:]


def test_no_page_relies_on_magic():
    """With magic off, a bare value on a line of its own shows nothing: every expression statement in
    app.py and pages/ is a call, or a docstring."""
    bare = []
    for path in [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        docstrings = {id(node.body[0]) for node in ast.walk(tree) if isinstance(
            node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and isinstance(node.body[0], ast.Expr)}
        bare += [f"{path.name}:{node.lineno}" for node in ast.walk(tree) if isinstance(node, ast.Expr)
                 and not isinstance(node.value, ast.Call) and id(node) not in docstrings]
    assert bare == []
