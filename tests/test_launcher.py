"""Live training's process control: one run at a time, stale locks, cancel, the log's story.
The trainer is replaced by small Python stand-ins here (tests/test_pages_results.py runs the
real one on tiny data)."""
import hashlib
import json
import os
import subprocess
import sys
import time

import pytest

from core import recipes
from core.artifacts import rundir
from core.artifacts.card import untrained
from core.training import launcher

SLEEPER = (sys.executable, "-c", "import time; time.sleep(60)")
STUBBORN = (sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)")


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def alive(pid: int) -> bool:
    return launcher._alive(pid)


@pytest.fixture
def runs(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path))
    yield tmp_path
    launcher.cancel(tmp_path, grace=0.5)  # never leave a stand-in behind


def test_a_second_start_is_refused_naming_the_running_run(runs, monkeypatch):
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", SLEEPER)
    first = launcher.start("mnist", 1)
    assert first.parent == runs and first.name.startswith("mnist-")
    held = launcher.current()
    assert held["run"] == str(first) and alive(held["pid"])
    with pytest.raises(launcher.Busy) as refused:
        launcher.start("scratch", 1)
    assert refused.value.run == first and first.name in str(refused.value)
    assert [p.name for p in runs.iterdir() if p.is_dir()] == [first.name]  # the refused one left nothing


def test_the_command_line_names_recipe_epochs_out_base_and_source(runs, monkeypatch, tmp_path):
    echo = (sys.executable, "-c", "import sys, json; print(json.dumps(sys.argv[1:]))")
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", echo)
    run = launcher.start("fine_tuning", 3, base="vgg16", start_from=tmp_path / "source")
    deadline = time.time() + 20
    while launcher.current() and time.time() < deadline:
        time.sleep(0.1)
    argv = json.loads((run / launcher.OUTPUT_NAME).read_text())
    assert argv == ["fine_tuning", "--epochs", "3", "--out", str(run), "--base", "vgg16", "--from", str(tmp_path / "source")]


def test_a_lock_whose_process_is_gone_is_stale(runs, monkeypatch):
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", SLEEPER)
    lock = runs / launcher.LOCK_NAME
    lock.write_text(json.dumps({"pid": dead_pid(), "run": str(runs / "old"), "recipe": "mnist"}))
    assert launcher.current() is None and not lock.exists()
    lock.write_text("{half a lock")
    assert launcher.current() is None and not lock.exists()
    lock.write_text(json.dumps({"pid": dead_pid(), "run": str(runs / "old"), "recipe": "mnist"}))
    run = launcher.start("mnist", 1)  # replaces the stale lock
    assert launcher.current()["run"] == str(run)


def test_cancel_stops_the_whole_group_and_marks_the_log(runs, monkeypatch):
    family = (sys.executable, "-c", "import subprocess, sys, time; "
              "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
              "print(child.pid, flush=True); time.sleep(60)")
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", family)
    run = launcher.start("mnist", 1)
    output = run / launcher.OUTPUT_NAME
    deadline = time.time() + 20
    while not output.read_text().strip() and time.time() < deadline:
        time.sleep(0.1)
    grandchild = int(output.read_text().split()[0])
    pid = launcher.current()["pid"]
    assert launcher.cancel(grace=5) == run
    time.sleep(0.3)
    assert not alive(pid) and not alive(grandchild)
    assert launcher.current() is None
    status = launcher.status(run, running=False)
    assert status.state == "cancelled"
    assert launcher.start("mnist", 1)  # the server is free again


def test_cancel_escalates_to_sigkill(runs, monkeypatch):
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", STUBBORN)
    launcher.start("mnist", 1)
    pid = launcher.current()["pid"]
    time.sleep(1.0)  # let it install its SIGTERM handler
    started = time.monotonic()
    launcher.cancel(grace=0.5)
    assert not alive(pid) and time.monotonic() - started < 5


def test_cancel_with_nothing_running(runs):
    assert launcher.cancel() is None


def test_status_folds_the_log(tmp_path):
    events = [
        {"event": "start", "recipe": "scratch", "base": None, "epochs": 3},
        {"event": "phase", "name": "train", "steps": 100},
        {"event": "batch", "epoch": 1, "batch": 100, "steps": 100},
        {"event": "epoch", "epoch": 1, "accuracy": 0.6, "val_accuracy": 0.55, "loss": 0.7, "val_loss": 0.68},
        {"event": "batch", "epoch": 2, "batch": 40, "steps": 100},
        {"event": "warning", "message": "skipped 1 unreadable images", "code": "images_skipped", "params": {"count": 1}},
    ]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events) + '{"event": "ba')
    status = launcher.status(tmp_path, running=True)
    assert (status.state, status.recipe, status.epochs, status.epoch) == ("running", "scratch", 3, 1)
    assert (status.batch, status.steps, status.phase) == (40, 100, "train")
    assert status.history == {"accuracy": [0.6], "val_accuracy": [0.55], "loss": [0.7], "val_loss": [0.68]}
    assert status.message.startswith("skipped") and status.message.params == {"count": 1}
    assert launcher.status(tmp_path, running=False).state == "stopped"  # died without a word
    assert launcher.status(tmp_path / "nothing", running=True).state == "starting"
    with open(tmp_path / "log.jsonl", "a") as f:
        f.write("\n" + json.dumps({"event": "done", "test_accuracy": 0.7}) + "\n")
    done = launcher.status(tmp_path, running=False)
    assert (done.state, done.test_accuracy) == ("done", 0.7)
    assert launcher.resume_command(tmp_path) is None  # no epoch's checkpoint: nothing to resume
    (tmp_path / "state.json").write_text(json.dumps({"recipe": "scratch", "base": None, "epochs": 3, "epochs_done": 1}))
    assert "python -m core train scratch --epochs 3 --out" in launcher.resume_command(tmp_path)
    assert launcher.promote_command(tmp_path) == f"python -m core promote {tmp_path}"


def fake_run(root, name, recipe, finished, keras=True):
    run = root / name
    run.mkdir()
    (run / "model.onnx").write_bytes(b"onnx")
    if keras:
        (run / "model.keras").write_bytes(b"keras")
    (run / "history.json").write_text(json.dumps({"accuracy": [0.5], "val_accuracy": [0.5], "loss": [1], "val_loss": [1]}))
    untrained(recipes.get(recipe), hashlib.sha256(b"onnx").hexdigest(), finished=finished, test_accuracy=0.5,
              epochs=1, seconds=1.0).write(run)
    return run


def test_finished_runs_and_fine_tuning_sources(tmp_path):
    fake_run(tmp_path, "a", "feature_extraction_augmented", "2026-01-01T00:00:00")
    newest = fake_run(tmp_path, "b", "feature_extraction_augmented", "2026-02-01T00:00:00")
    fake_run(tmp_path, "c", "feature_extraction_augmented", "2026-03-01T00:00:00", keras=False)
    fake_run(tmp_path, "d", "scratch", "2026-04-01T00:00:00")
    (tmp_path / "e").mkdir()  # unfinished: no card
    assert [i.name for i in rundir.finished_runs(root=tmp_path)] == ["d", "c", "b", "a"]
    assert [i.name for i in rundir.finished_runs("scratch", tmp_path)] == ["d"]
    sources = rundir.sources_for("fine_tuning", tmp_path)
    assert [i.path for i in sources] == [newest, tmp_path / "a"]  # newest first, model.keras kept
    assert rundir.sources_for("scratch", tmp_path) == []


def test_the_server_itself_is_never_signalled(runs):
    lock = runs / launcher.LOCK_NAME
    lock.write_text(json.dumps({"owner": os.getpid(), "run": str(runs / "x"), "recipe": "mnist"}))
    assert launcher.current()["owner"] == os.getpid()  # a start in progress holds the lock
    assert launcher.cancel(grace=0.1) is None  # but there is no trainer to stop yet
    lock.unlink()
