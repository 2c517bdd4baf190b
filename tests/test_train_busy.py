"""One training run per server: a second user who opens Train live while a run goes is told
which recipe runs, since when, and when it should end (estimated from its log.jsonl)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.artifacts.log import Event
from core.training import launcher
from pages._busy import clock
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
START = time.time() - 600


def held_run(root: Path, epochs_done: int) -> Path:
    """A run of `scratch` (10 epochs) started 10 minutes ago, `epochs_done` of them logged a
    minute apart after a one-minute start; its lock held by a live process (this one)."""
    run = root / "scratch-20261202-120000"
    run.mkdir(parents=True)
    lines = [{"event": Event.START, "time": START, "recipe": "scratch", "epochs": 10}]
    lines += [{"event": Event.EPOCH, "time": START + 60 * (e + 1), "epoch": e, "seconds": 60.0}
              for e in range(1, epochs_done + 1)]
    (run / "log.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    (root / launcher.LOCK_NAME).write_text(json.dumps(
        {"pid": os.getpid(), "run": str(run), "recipe": "scratch", "started": START}))
    return run


def test_the_estimate_follows_the_pace_of_the_epochs_done(tmp_path):
    run = held_run(tmp_path, 3)
    assert launcher.estimated_finish(run) == pytest.approx(START + 240 + 7 * 80)  # 3 epochs in 240 s
    assert launcher.estimated_finish(held_run(tmp_path / "other", 0)) is None


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("epochs_done", [0, 3])
def test_a_second_user_is_told_what_runs_since_when_and_until_when(tmp_path, monkeypatch, lang, epochs_done):
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path))
    run = held_run(tmp_path, epochs_done)
    at = AppTest.from_file(str(REPO / "pages" / "train.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    words = CATALOG[lang]
    shown = [info.value for info in at.info]
    common = dict(recipe=words["recipe.scratch"], since=clock(START), run=run.name)
    expected = (words["train.running_since"].format(finish=clock(START + 800), **common) if epochs_done
                else words["train.running_since_no_estimate"].format(**common))
    assert expected in shown, shown
    assert at.button(key="train_start").disabled  # one run per server
