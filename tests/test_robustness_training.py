"""Killed training runs and bad data folders. A run killed with SIGKILL at any point leaves only
complete files where the app reads (no card.json, model.onnx whole or absent), and can be
resumed or restarted. A wrong data folder gets a message naming what is wrong and what to do."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from core.__main__ import main
from core.artifacts.card import Card
from core.artifacts.log import read_log
from core.artifacts.rundir import list_runs, read_run
from core.data.folders import DataFolderError, cats_dogs_root, load_split
from core.datasets import CATS_DOGS

REPO = Path(__file__).resolve().parents[1]
STEPS = 80  # batches of 64 per epoch: an epoch lasts about a second, time enough to be killed in
APP_READS = ("card.json", "model.onnx", "history.json", "log.jsonl")


@pytest.fixture(scope="module")
def digits(tmp_path_factory) -> Path:
    """An mnist.npz whose training part is 5,000 validation digits plus STEPS batches."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("digits") / "mnist.npz"
    n = 5_000 + 64 * STEPS
    np.savez(path, x_train=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), y_train=rng.integers(0, 10, n),
             x_test=rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, 64))
    return path


def kill_when(out: Path, digits: Path, reached, *extra: str) -> list[dict]:
    """Start `python -m core train mnist` into `out`, SIGKILL it as soon as reached(log events)
    is true, and return the log."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    command = [sys.executable, "-m", "core", "train", "mnist", "--data", str(digits), "--out", str(out), *extra]
    with open(out.parent / f"{out.name}.stderr", "ab") as errors:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 120
    try:
        while not reached(read_log(out / "log.jsonl")):
            assert process.poll() is None, f"training ended before the kill point: {read_log(out / 'log.jsonl')}"
            assert time.monotonic() < deadline, "training never reached the kill point"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    return read_log(out / "log.jsonl")


def any_event(**fields):
    return lambda events: any(all(e.get(k) == v for k, v in fields.items()) for e in events)


def assert_nothing_half_written(run: Path) -> None:
    """Where the app reads, only complete files (or none); the run shows as unfinished."""
    assert not (run / "card.json").exists()
    info = read_run(run)
    assert not info.ok and "did not finish" in info.problem
    assert [i.ok for i in list_runs(run.parent)] == [False]
    if (run / "model.onnx").exists():  # then it is the whole, parity-checked export
        import onnxruntime

        onnxruntime.InferenceSession(str(run / "model.onnx"), providers=["CPUExecutionProvider"])
    if (run / "history.json").exists():
        history = json.loads((run / "history.json").read_text())
        state = json.loads((run / "state.json").read_text())
        assert len(history["accuracy"]) == state["epochs_done"]
    visible = {p.name for p in run.iterdir() if not p.name.startswith(".")}
    assert visible <= {*APP_READS, "model.keras", "state.json"}


def finish(out: Path, digits: Path, epochs: int, resume: bool) -> Card:
    args = ["train", "mnist", "--data", str(digits), "--out", str(out), "--epochs", str(epochs)]
    assert main(args + (["--resume"] if resume else [])) == 0
    info = read_run(out)
    assert info.ok, info.problem
    assert len(info.history["accuracy"]) == epochs
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temp files left behind"
    return info.card


@pytest.mark.slow  # trains and exports (about 30 s)
def test_killed_in_the_first_epoch_then_while_exporting(digits, tmp_path, capsys):
    """No checkpoint yet: --resume is refused and a restart into the same dir works; that
    restart, killed while writing model.onnx, resumes without training again."""
    out = tmp_path / "run"
    events = kill_when(out, digits, any_event(event="batch"), "--epochs", "1")
    assert events[-1]["event"] == "batch"  # killed mid-epoch, before any checkpoint
    assert_nothing_half_written(out)
    assert not (out / "state.json").exists()
    args = ["train", "mnist", "--data", str(digits), "--out", str(out), "--resume"]
    assert main(args) == 2
    assert "no checkpoint to resume from" in capsys.readouterr().err

    events = kill_when(out, digits, lambda log: any(out.glob(".model.*.onnx")), "--epochs", "1")  # restart
    assert [e["event"] for e in events].count("start") == 1  # a restart begins a fresh log
    assert events[-1] == {**events[-1], "event": "phase", "name": "export"}
    assert not (out / "model.onnx").exists()  # the half-written export is a hidden temp file
    assert_nothing_half_written(out)

    finish(out, digits, epochs=1, resume=True)  # also clears the killed run's temp files
    after = read_log(out / "log.jsonl")
    assert not [e for e in after[len(events):] if e["event"] == "batch"]  # no epoch trained twice


@pytest.mark.slow  # trains two epochs (about 20 s)
def test_killed_after_a_checkpoint_resumes_from_it(digits, tmp_path):
    out = tmp_path / "run"
    events = kill_when(out, digits, any_event(event="batch", epoch=2), "--epochs", "2")
    assert [e["event"] for e in events].count("epoch") == 1 and events[-1]["event"] == "batch"
    assert_nothing_half_written(out)
    assert json.loads((out / "state.json").read_text())["epochs_done"] == 1

    card = finish(out, digits, epochs=2, resume=True)
    starts = [e for e in read_log(out / "log.jsonl") if e["event"] == "start"]
    assert [s["resume"] for s in starts] == [False, True]
    assert card.epochs == 2


def test_a_finished_run_is_not_overwritten(digits, tmp_path, capsys, tiny_mnist_run):
    args = ["train", "mnist", "--data", str(digits), "--out", str(tiny_mnist_run)]
    before = (tiny_mnist_run / "card.json").read_bytes()
    assert main(args) == 2
    assert "already holds a finished run" in capsys.readouterr().err
    assert (tiny_mnist_run / "card.json").read_bytes() == before


# ---- data folders -------------------------------------------------------------------------

def test_a_wrong_layout_names_what_is_missing(tiny_cats_dogs, tmp_path):
    partial = tmp_path / "partial"
    shutil.copytree(tiny_cats_dogs / "train", partial / "train")
    shutil.rmtree(partial / "train" / "dogs")
    with pytest.raises(DataFolderError) as caught:
        cats_dogs_root(partial)
    message = str(caught.value)
    assert "lacks train/dogs, validation/cats, validation/dogs, test/cats, test/dogs" in message
    assert "python -m core prepare-data" in message


def test_kaggles_raw_folder_is_pointed_to_prepare_data(tmp_path):
    (tmp_path / "cat.0.jpg").write_bytes(b"")
    with pytest.raises(DataFolderError, match=r"lacks train/cats.*prepare-data"):
        cats_dogs_root(tmp_path)
    with pytest.raises(DataFolderError, match=r"no cats-vs-dogs folder at .*nowhere.*prepare-data"):
        cats_dogs_root(tmp_path / "nowhere")


def test_an_empty_class_folder_is_named(tiny_cats_dogs, tmp_path):
    data = shutil.copytree(tiny_cats_dogs, tmp_path / "data")
    for image in (data / "validation" / "dogs").iterdir():
        image.unlink()
    (data / "validation" / "dogs" / "notes.txt").write_text("photos to come")
    with pytest.raises(DataFolderError, match=r"validation/dogs has no images .*put the dogs there"):
        cats_dogs_root(data)


def test_unreadable_images_are_skipped_and_named(tiny_cats_dogs, tmp_path):
    data = shutil.copytree(tiny_cats_dogs, tmp_path / "data")
    (data / "test" / "cats" / "empty.jpg").write_bytes(b"")
    (data / "test" / "dogs" / "folder.jpg").mkdir()  # a folder with an image's name
    images = load_split(data, "test", size=(32, 32), classes=CATS_DOGS.classes)
    assert len(images.x) == len(images.y) == 8
    skipped = {path.name: why for path, why in images.skipped}
    assert skipped.keys() == {"empty.jpg", "folder.jpg"} and skipped["empty.jpg"].startswith("empty")


def test_a_class_with_no_readable_image_is_an_error_naming_a_file(tiny_cats_dogs, tmp_path):
    data = shutil.copytree(tiny_cats_dogs, tmp_path / "data")
    for image in (data / "test" / "cats").iterdir():
        image.write_bytes(b"<html>404</html>")
    with pytest.raises(DataFolderError, match=r"test/cats has no readable images \(e.g. cat.0.jpg: not_image"):
        load_split(data, "test", size=(32, 32), classes=CATS_DOGS.classes)


def test_training_skips_and_counts_unreadable_images(tiny_scratch_run, broken_training_files):
    run = tiny_scratch_run
    assert json.loads((run / "card.json").read_text())["images_skipped"] == len(broken_training_files)
    warning = next(e for e in read_log(run / "log.jsonl") if e["event"] == "warning")
    assert all(any(name in f for f in warning["files"]) for name in broken_training_files)


def test_cli_train_with_a_wrong_folder_says_so_without_traceback(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "scratch", "--data", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no cats-vs-dogs folder") and "Traceback" not in err
    assert read_log(out / "log.jsonl")[-1]["event"] == "error"


def test_two_starts_at_once_are_refused(tmp_path, monkeypatch):
    """Two users pressing Train in the same instant: one run starts, the other hears Busy.
    (core/launcher's own tests cover starts one after another.)"""
    from core.training import launcher

    monkeypatch.setattr(launcher, "TRAIN_COMMAND", (sys.executable, "-c", "import time; time.sleep(60)"))
    start = threading.Barrier(8)

    def press(_):
        start.wait()
        try:
            return launcher.start("mnist", epochs=1, root=tmp_path)
        except launcher.Busy as busy:
            return busy

    try:
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(press, range(8)))
        started = [o for o in outcomes if isinstance(o, Path)]
        assert len(started) == 1
        assert all(isinstance(o, launcher.Busy) and o.run == started[0] for o in outcomes if o is not started[0])
        assert [p for p in tmp_path.iterdir() if p.is_dir()] == started  # no stray run dirs
    finally:
        launcher.cancel(tmp_path, grace=0.5)
