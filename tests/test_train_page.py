"""Train live on a machine without the chapter's data, and every failure said in the user's
language: the availability check (core.data.folders.locate), the reasons core gives with a code
(core.reasons), the trainer's error events, and the Train page through AppTest."""
from __future__ import annotations

import json
import os
import pickle
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import paths, recipes
from core.artifacts import rundir
from core.artifacts.log import event_reason
from core.data import folders
from core.datasets import CATS_DOGS, MNIST
from core.reasons import Code, Reason, reason_of
from core.serving.inference import ModelUnavailable, Predictor
from core.training import launcher
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
SLEEPER = (sys.executable, "-c", "import time; time.sleep(60)")  # a trainer still importing TensorFlow


@pytest.fixture
def no_data(tmp_path, monkeypatch) -> Path:
    """A machine without the data: $CONVNET_DATA an empty folder, no ../shared/data, an empty
    Keras cache; runs land in tmp_path/runs. Returns the (empty) data root."""
    root = tmp_path / "empty-data"
    root.mkdir()
    monkeypatch.setenv("CONVNET_DATA", str(root))
    monkeypatch.setattr(paths, "SHARED_DATA", tmp_path / "no-shared")
    monkeypatch.setattr(folders, "SHARED_DATA", tmp_path / "no-shared")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    yield root
    launcher.cancel(grace=0.5)  # never leave a trainer behind


def write_mnist(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    digits = np.zeros((2, 28, 28), np.uint8)
    np.savez(path, x_train=digits, y_train=np.zeros(2, np.uint8), x_test=digits, y_test=np.zeros(2, np.uint8))
    return path


def write_cats_dogs(root: Path, skip: str | None = None) -> Path:
    """The book's layout with one tiny JPEG per class folder (none in `skip`, e.g. "test/dogs")."""
    for split in folders.SPLITS:
        for cls in CATS_DOGS.classes:
            folder = root / split / cls
            folder.mkdir(parents=True)
            if f"{split}/{cls}" != skip:
                Image.new("RGB", (8, 8)).save(folder / f"{cls}.0.jpg")
    return root


# ---- core: where the data is, or why not -------------------------------------------------------

def test_mnist_is_found_in_the_data_root_or_keras_cache(no_data):
    with pytest.raises(folders.DataFolderError) as missing:
        folders.locate(MNIST)
    reason = reason_of(missing.value)
    root, cache = folders.places(MNIST)
    assert reason.code == Code.MNIST_MISSING and reason.params == {"root": str(root), "cache": str(cache)}
    assert root == no_data / "mnist" / "mnist.npz" and cache.parent.name == "datasets"
    assert write_mnist(cache) == folders.locate(MNIST)  # Keras' cache
    assert write_mnist(root) == folders.locate(MNIST)  # the data root comes first


def test_mnist_never_downloads_when_asked_where_it_is(no_data, monkeypatch):
    """locate() only looks; the loader's download, offline, becomes the same reason."""
    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: Name or service not known")

    fake_keras = types.SimpleNamespace(datasets=types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=offline)))
    monkeypatch.setitem(sys.modules, "keras", fake_keras)
    with pytest.raises(folders.DataFolderError) as failed:
        folders.load_mnist()
    reason = reason_of(failed.value)
    assert reason.code == Code.MNIST_MISSING and "download failed (URL fetch failure" in reason


@pytest.mark.parametrize("layout, code, param", [
    (None, Code.CATS_DOGS_MISSING, "where"),
    ("raw", Code.CATS_DOGS_LAYOUT, "missing"),
    ("empty_class", Code.CLASS_EMPTY, "folder"),
])
def test_cats_dogs_missing_or_wrong_says_why_with_a_code(no_data, layout, code, param):
    folder = no_data / CATS_DOGS.path
    if layout == "raw":  # Kaggle's flat folder, not yet split
        folder.mkdir()
        Image.new("RGB", (8, 8)).save(folder / "cat.0.jpg")
    elif layout == "empty_class":
        write_cats_dogs(folder, skip="test/dogs")
    with pytest.raises(folders.DataFolderError) as caught:
        folders.locate(CATS_DOGS)
    reason = reason_of(caught.value)
    assert reason.code == code and param in reason.params
    assert "prepare-data" in str(caught.value)  # the CLI's English still says what to do
    expected = {Code.CATS_DOGS_MISSING: str(folder), Code.CATS_DOGS_LAYOUT: "train/cats, train/dogs",
                Code.CLASS_EMPTY: str(folder / "test" / "dogs")}[code]
    assert reason.params[param].startswith(expected)


def test_cats_dogs_found(no_data):
    assert write_cats_dogs(no_data / CATS_DOGS.path) == folders.locate(CATS_DOGS)
    assert folders.places(CATS_DOGS) == [no_data / CATS_DOGS.path]


def test_without_a_data_root_the_app_looks_beside_the_checkout(no_data, monkeypatch):
    monkeypatch.delenv("CONVNET_DATA")
    assert folders.places(CATS_DOGS)[0] == folders.SHARED_DATA / CATS_DOGS.path


# ---- core: reasons with codes ------------------------------------------------------------------

def test_every_code_has_a_sentence_in_both_languages():
    for code in Code:
        assert f"reasons.{code}" in CATALOG["en"] and f"reasons.{code}" in CATALOG["zh-TW"], code


def test_a_reason_is_its_english_and_survives_pickling():
    """st.cache_data pickles RunInfo lists: the code and params must come back."""
    reason = Reason(Code.CLASS_EMPTY, "/data/test/dogs has no images", folder="/data/test/dogs")
    again = pickle.loads(pickle.dumps(reason))
    assert again == "/data/test/dogs has no images" and isinstance(again, str)
    assert (again.code, again.params) == (Code.CLASS_EMPTY, {"folder": "/data/test/dogs"})
    assert reason_of(folders.DataFolderError(reason)) is reason
    unknown = reason_of(OSError("disk full"))
    assert (unknown.code, unknown.params) == (Code.UNEXPECTED, {"type": "OSError"})


def test_an_unfinished_run_is_unavailable_with_a_code(tmp_path):
    run = tmp_path / "mnist-1"
    run.mkdir()
    info = rundir.read_run(run)
    assert info.problem.code == Code.CARD_MISSING and "did not finish" in info.problem
    with pytest.raises(ModelUnavailable) as caught:
        Predictor(run)
    reason = reason_of(caught.value)
    assert reason.code == Code.CARD_MISSING and str(caught.value).startswith("mnist-1: card.json is missing")


def test_resuming_without_a_checkpoint_says_so_with_a_code(tmp_path):
    from core.training.train import _open_run

    with pytest.raises(FileNotFoundError) as caught:
        _open_run(recipes.get("mnist"), tmp_path / "run", resume=True)
    assert reason_of(caught.value).code == Code.NO_CHECKPOINT


def test_the_trainer_logs_its_error_with_a_code(no_data):
    """The whole trainer, on a machine without cats and dogs: the log's error event has the code."""
    from core.__main__ import main
    from core.artifacts.log import read_log

    out = no_data.parent / "runs" / "scratch-1"
    assert main(["train", "scratch", "--out", str(out)]) == 2
    error = read_log(out / "log.jsonl")[-1]
    assert error["event"] == "error" and error["code"] == Code.CATS_DOGS_MISSING
    assert error["params"] == {"where": str(no_data / CATS_DOGS.path)} and "DataFolderError" in error["message"]


def test_failures_known_by_their_type(monkeypatch, tmp_path):
    import tensorflow as tf

    from core.training.bases import vgg16
    from core.training.train import failure

    assert failure(KeyboardInterrupt()).code == Code.CANCELLED
    assert failure(MemoryError()).code == Code.OUT_OF_MEMORY
    assert failure(tf.errors.ResourceExhaustedError(None, None, "OOM when allocating")).code == Code.OUT_OF_MEMORY
    assert failure(ZeroDivisionError("x")).params == {"type": "ZeroDivisionError"}
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(vgg16.VGG16WeightsUnavailable) as offline:  # tests may not reach the network
        vgg16.build(weights=True)
    reason = failure(offline.value)
    assert reason.code == Code.WEIGHTS_UNAVAILABLE and reason.params["file"] == vgg16.WEIGHTS_FILE


def test_log_events_without_a_known_code_read_as_unexpected():
    reason = event_reason({"event": "error", "message": "ValueError: something"})
    assert (reason.code, reason.params, reason) == (Code.UNEXPECTED, {"type": "ValueError"}, "ValueError: something")
    assert event_reason({"event": "error", "message": "m", "code": "martian"}).code == Code.UNEXPECTED


# ---- launcher: what a cancelled run can offer --------------------------------------------------

def test_resume_is_offered_only_from_a_checkpoint(tmp_path):
    (tmp_path / "log.jsonl").write_text(json.dumps({"event": "error", "message": "cancelled", "code": "cancelled"}))
    assert launcher.status(tmp_path, running=False).state == launcher.State.CANCELLED
    assert launcher.resume_command(tmp_path) is None  # cancelled while starting: no epoch finished
    state = {"recipe": "feature_extraction", "base": "efficientnet_lite0", "seed": 0, "epochs": 4, "epochs_done": 1}
    (tmp_path / "state.json").write_text(json.dumps(state))
    assert launcher.resume_command(tmp_path) == (
        f"python -m core train feature_extraction --epochs 4 --base efficientnet_lite0 "
        f"--out {launcher.shown_path(tmp_path)} --resume")


# ---- the page ----------------------------------------------------------------------------------

def page(lang: str, run: Path | None = None, recipe: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / "train.py"), default_timeout=60)
    at.session_state["lang"] = lang
    if run:
        at.session_state["train_run"] = str(run)
    at.run()
    if recipe:
        at.selectbox(key="train_recipe").set_value(recipe).run()
    return at


def shown(at: AppTest) -> str:
    """Every text on the page, expanders' contents included."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "subheader", "code")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("recipe", recipes.RECIPE_IDS)
def test_without_data_start_is_off_and_the_page_says_how_to_get_it(no_data, lang, recipe):
    at = page(lang, recipe=recipe)
    assert not at.exception
    assert at.button(key="train_start").disabled
    strings = CATALOG[lang]
    dataset = strings[f"train.dataset.{recipes.get(recipe).dataset}"]
    text = shown(at)
    assert strings["train.data.missing"].split("{")[0] in text and dataset in text
    if recipes.get(recipe).dataset == MNIST.id:
        root, cache = folders.places(MNIST)
        assert root == no_data / "mnist" / "mnist.npz" and cache == no_data.parent / "keras" / "datasets" / "mnist.npz"
        assert strings["reasons.mnist_missing"].format(root=root, cache=cache) in text
        assert "keras.datasets.mnist.load_data()" in text
    else:
        assert f"python -m core prepare-data SOURCE --out {no_data / CATS_DOGS.path}" in text
        assert strings["reasons.cats_dogs_missing"].format(where=no_data / CATS_DOGS.path) in text
    assert "$CONVNET_DATA" in text and "--data" in text


def test_with_data_the_page_says_where_and_start_is_on(no_data):
    found = write_mnist(no_data / MNIST.path)
    at = page("en")
    assert not at.exception and not at.button(key="train_start").disabled
    assert CATALOG["en"]["train.data.found"].format(dataset=CATALOG["en"]["train.dataset.mnist"], path=found) in shown(at)


def test_a_base_whose_weights_must_be_downloaded_says_so(no_data):
    from core.training.bases import vgg16

    at = page("zh-TW", recipe="feature_extraction")
    assert not at.exception and at.selectbox(key="train_base").value == "efficientnet_lite0"
    assert "ImageNet" not in shown(at)  # Lite0's weights ship with the app
    at.selectbox(key="train_base").set_value("vgg16").run()
    assert CATALOG["zh-TW"]["train.base_download"].format(base="vgg16", path=vgg16.weights_file()) in shown(at)
    assert vgg16.weights_file().startswith(str(no_data.parent / "keras"))


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_failed_run_is_a_translated_sentence_and_the_english_stays_in_the_expander(no_data, lang):
    run = no_data.parent / "runs" / "scratch-20260101-120000"
    run.mkdir(parents=True)
    where = str(no_data / CATS_DOGS.path)
    message = f"DataFolderError: no cats-vs-dogs folder at {where}: expected train/ ..."
    events = [{"event": "start", "recipe": "scratch", "base": None, "epochs": 5},
              {"event": "phase", "name": "data"},
              {"event": "error", "message": message, "code": "cats_dogs_missing", "params": {"where": where}}]
    (run / "log.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    (run / launcher.OUTPUT_NAME).write_text("Traceback (most recent call last):\n  ...\nDataFolderError: ...\n")
    at = page(lang, run)
    assert not at.exception
    strings = CATALOG[lang]
    sentence = strings["reasons.cats_dogs_missing"].format(where=where)
    assert [e.value for e in at.error] == [strings["train.failed"].format(message=sentence)]
    assert at.expander[0].label == strings["train.output"]
    inside = [c.value for c in at.expander[0].code]
    assert inside[0] == message and "Traceback" in inside[1]


def test_an_unexpected_failure_names_its_type(no_data):
    run = no_data.parent / "runs" / "mnist-20260101-120000"
    run.mkdir(parents=True)
    (run / "log.jsonl").write_text(json.dumps({"event": "error", "message": "ZeroDivisionError: division by zero",
                                               "code": "unexpected", "params": {"type": "ZeroDivisionError"}}))
    at = page("zh-TW", run)
    assert not at.exception
    assert at.error[0].value == CATALOG["zh-TW"]["train.failed"].format(
        message=CATALOG["zh-TW"]["reasons.unexpected"].format(type="ZeroDivisionError"))


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_cancel_while_starting_offers_only_what_works(no_data, lang, monkeypatch):
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", SLEEPER)
    write_mnist(no_data / MNIST.path)
    at = page(lang)
    at.button(key="train_start").click().run()
    assert not at.exception
    run = Path(at.session_state["train_run"])
    assert at.subheader[0].value.startswith(CATALOG[lang]["recipe.mnist"])  # named while Python starts
    at.button(key="train_cancel").click().run()
    assert not at.exception
    assert launcher.current() is None and not (run / "state.json").exists()
    text = shown(at)
    assert "None" not in text and "--resume" not in text and not at.code
    assert at.subheader[0].value.startswith(CATALOG[lang]["recipe.mnist"])
    assert [w.value for w in at.warning] == [CATALOG[lang]["train.cancelled_early"]]
    assert not at.button(key="train_start").disabled  # starting again is the offer

    state = {"recipe": "mnist", "base": None, "seed": 0, "epochs": 3, "epochs_done": 1}
    (run / "state.json").write_text(json.dumps(state))  # as if an epoch had finished before the cancel
    at = page(lang, run)
    assert [c.value for c in at.code] == [f"python -m core train mnist --epochs 3 --out {launcher.shown_path(run)} "
                                          "--resume"]
    assert [w.value for w in at.warning] == [CATALOG[lang]["train.cancelled"]]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_home_says_why_a_model_is_unavailable_in_the_chosen_language(tmp_path, monkeypatch, lang):
    from core.artifacts.card import untrained

    broken = tmp_path / "trained" / "mnist"  # a card, but no model.onnx
    broken.mkdir(parents=True)
    untrained(recipes.get("mnist"), sha256="0" * 64).write(broken)
    monkeypatch.setattr(paths, "TRAINED_DIR", broken.parent)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)  # Home links to pages: it needs the router
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    strings = CATALOG[lang]
    assert [w.value for w in at.warning] == [strings["home.unavailable_why"].format(
        model=strings["recipe.mnist"], reason=strings["reasons.onnx_missing"])]
    assert at.metric[2].value == strings["home.cores"].format(n=os.cpu_count())
