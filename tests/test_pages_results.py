"""The results pages through AppTest: Predict (tiny models trained and exported here), Compare
(the book's runs and ours), Train live (a real tiny MNIST run started, cancelled, finished)."""
import hashlib
import io
import json
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from core import paths, recipes
from core.artifacts.leak import leak_lesson
from core.data.images import MAX_FILE_MB, BadImageCode
from core.datasets import CATS_DOGS
from core.training import launcher
from pages._registry import PAGES
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def tiny_trained(tmp_path_factory, tiny_runs) -> Path:
    """A trained/ folder with an MNIST and a from-scratch model (1 epoch each on tiny data,
    tests/conftest.py's tiny_runs, shared with the other test files)."""
    root = tmp_path_factory.mktemp("trained")
    for recipe_id, run in tiny_runs.items():
        (root / recipe_id).symlink_to(run, target_is_directory=True)
    return root


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory, tiny_mnist, tiny_cats_dogs) -> Path:
    """A data root laid out like ../shared/data, holding the tiny sets."""
    root = tmp_path_factory.mktemp("data")
    (root / "mnist").mkdir()
    (root / "mnist" / "mnist.npz").symlink_to(tiny_mnist)
    (root / "cats_and_dogs_small").symlink_to(tiny_cats_dogs)
    return root


@pytest.fixture
def env(monkeypatch, tiny_trained, tiny_data, tmp_path):
    monkeypatch.setattr(paths, "TRAINED_DIR", tiny_trained)
    monkeypatch.setenv("CONVNET_DATA", str(tiny_data))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    yield tmp_path / "runs"
    launcher.cancel(grace=1)


def page(name: str, lang: str = "en", tab: str | None = None) -> AppTest:
    """A page as opened, on its tab `tab` (a key of its strings: a page with tabs runs only the chosen one)."""
    at = AppTest.from_file(str(REPO / "pages" / f"{name}.py"), default_timeout=60)
    at.session_state["lang"] = lang
    if tab:
        at.query_params[f"{name}_tab"] = CATALOG[lang][f"{name}.tab.{tab}"]
    return at.run()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success",
                                              "subheader", "metric", "code") for e in getattr(at, kind))


def dog_photo() -> bytes:
    image = Image.new("RGB", (320, 200), (90, 100, 110))
    ImageDraw.Draw(image).rectangle([100, 50, 220, 150], fill=(200, 80, 60))
    return png(image)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_predict_a_photo_with_every_model(env, lang):
    at = page("predict", lang)
    assert not at.exception
    at.file_uploader(key="photo").upload("dog.png", dog_photo(), "image/png")
    at.run()
    assert not at.exception
    strings = CATALOG[lang]
    verdicts = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert len(verdicts) == 1 and verdicts[0].split()[1] in CATS_DOGS.display_names[lang]  # the model's names
    assert verdicts[0].endswith("%")
    details = at.table[0].value  # in the expander below the verdicts
    assert list(details[strings["predict.col.model"]]) == [CATALOG[lang]["recipe.scratch"]]
    latency = details[strings["predict.col.latency"]][0]
    assert latency[0].isdigit() and "CPU" in latency  # milliseconds on the active provider
    assert details[strings["predict.col.accuracy"]][0].endswith("%")
    captions = [img.caption for element in at.get("image") for img in element.proto.imgs]
    assert any(c.startswith(strings["predict.sees"].split("{")[0]) for c in captions)  # what the model sees
    assert strings["predict.original"].format(w=320, h=200) in captions  # no EXIF: not called turned


@pytest.mark.parametrize("code, data", [
    ("empty", b""),
    ("not_image", b"this is text, not a photo"),
    ("broken", dog_photo()[:120]),
    ("too_large", None),
    ("file_too_large", None),
])
def test_bad_uploads_get_a_translated_message(env, code, data):
    if data is None:  # made here, not at collection
        data = {"too_large": lambda: png(Image.new("L", (10_000, 5_000))),  # 50 megapixels in 48 kB
                "file_too_large": lambda: dog_photo() + bytes(MAX_FILE_MB * 1024 * 1024)}[code]()
    for lang in ("en", "zh-TW"):
        at = page("predict", lang)
        at.file_uploader(key="photo").upload("upload.png", data, "image/png")
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [CATALOG[lang][f"predict.bad.{code}"].format(mb=MAX_FILE_MB)]


def test_a_photo_turned_by_its_exif_says_so(env):
    stored = Image.new("RGB", (320, 200), (90, 100, 110))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown 200 wide, 320 high
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", exif=exif)
    at = page("predict")
    at.file_uploader(key="photo").upload("phone.jpg", buffer.getvalue(), "image/jpeg")
    at.run()
    captions = [img.caption for element in at.get("image") for img in element.proto.imgs]
    assert CATALOG["en"]["predict.original_turned"].format(w=200, h=320) in captions


def test_an_unavailable_model_says_why_and_the_others_still_work(env, tiny_trained, tmp_path, monkeypatch):
    trained = tmp_path / "trained"
    shutil.copytree(tiny_trained / "scratch", trained / "scratch")
    missing = trained / "scratch_augmented"
    missing.mkdir()
    card = json.loads((tiny_trained / "scratch" / "card.json").read_text())
    (missing / "card.json").write_text(json.dumps({**card, "recipe": "scratch_augmented"}))  # no model.onnx
    broken = trained / "feature_extraction"
    broken.mkdir()
    (broken / "model.onnx").write_bytes(b"not a graph")
    (broken / "history.json").write_text(json.dumps({"accuracy": [0.5], "val_accuracy": [0.5], "loss": [1], "val_loss": [1]}))
    card = json.loads((tiny_trained / "scratch" / "card.json").read_text())
    card.update(recipe="feature_extraction", sha256=hashlib.sha256(b"not a graph").hexdigest())
    (broken / "card.json").write_text(json.dumps(card))
    monkeypatch.setattr(paths, "TRAINED_DIR", trained)
    at = page("predict")
    at.file_uploader(key="photo").upload("dog.png", dog_photo(), "image/png")
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert CATALOG["en"]["reasons.onnx_missing"] in warnings and CATALOG["en"]["reasons.onnx_unloadable"] in warnings
    assert len([m for m in at.markdown if m.value.startswith("### ")]) == 1


def test_predict_runs_only_the_chosen_tab(env):
    """The digit canvas and the test set's tab load when asked, not on Predict's first paint."""
    keys = {element.key for element in page("predict").get("segmented_control")}
    assert "digit_how" not in keys
    assert "digit_how" in {element.key for element in page("predict", tab="digit").get("segmented_control")}
    assert page("predict", tab="batch").button(key="batch_run")


def test_predict_a_digit_upload(env):
    at = page("predict", tab="digit")
    at.segmented_control(key="digit_how").set_value("upload").run()
    digit = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(digit).line([(100, 30), (100, 170)], fill=0, width=16)
    at.file_uploader(key="digit_file").upload("one.png", png(digit), "image/png")
    at.run()
    assert not at.exception
    verdict = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert len(verdict) == 1 and verdict[0][4] in "0123456789"
    assert len(at.get("plotly_chart")) == 1  # the ten probability bars


def test_batch_mode_confusion_and_mistakes(env):
    at = page("predict", tab="batch")
    at.button(key="batch_run").click().run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Test accuracy"]
    assert any("mistakes" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 1  # the confusion matrix


def test_batch_mode_without_the_test_images(env, tmp_path, monkeypatch):
    monkeypatch.setenv("CONVNET_DATA", str(tmp_path))  # exists, but holds no cats_and_dogs_small
    at = page("predict", tab="batch")
    assert not at.exception
    assert any("batch mode is off" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_compare_draws_the_story_the_runs_and_the_table(env, lang):
    at = page("compare", lang)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2 and not at.dataframe  # the story's two charts: only its tab runs
    strings = CATALOG[lang]
    for step in ("baseline", "overfitting", "augmentation", "feature_extraction", "fine_tuning"):
        at.segmented_control(key="story_step").set_value(step).run()
        assert not at.exception
        assert strings[f"compare.story.{step}.title"] in [h.value for h in at.subheader]
        assert not any("{" in m.value for m in at.markdown)  # every template filled
        if step in ("feature_extraction", "fine_tuning"):  # here only scratch and MNIST are trained
            assert strings["recipe.feature_extraction_augmented"] in at.info[0].value
    runs = page("compare", lang, tab="runs")
    assert len(runs.get("plotly_chart")) == 2 and not runs.subheader
    chosen = runs.multiselect(key="compare_sets").value
    assert {"shipped:scratch", "book:scratch", "book:scratch_augmented"} <= set(chosen)
    for tab, where in ((at, "story"), (runs, "runs")):  # the controls above each tab's charts
        for smoothing in ("book", "tensorboard"):
            tab.selectbox(key=f"{where}_smoothing").set_value(smoothing).run()
            assert not tab.exception
    runs.toggle(key="compare_grid").set_value(True).run()
    assert not runs.exception
    shown = page("compare", lang, tab="table")
    assert not shown.get("plotly_chart")
    table = shown.dataframe[0].value  # one row per recipe here: two trained (1 epoch each), four not yet
    epochs = table[strings["compare.col.epochs"]]
    assert len(table) == 6 and epochs.str.contains("⚠️").sum() == 2
    assert (epochs == strings["compare.not_trained"]).sum() == 4
    assert table[strings["compare.col.book"]].notna().all()


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_compare_tells_the_leak_lesson_and_its_two_parts(env, lang):
    """bench/leak.py's measured numbers (the shipped bench/results/leak.json), in one sentence
    per language: the random split's claim, then the copies' part and the conflicts' part."""
    lesson = leak_lesson()
    assert lesson and "copies" in lesson, "bench/results/leak.json lacks the copies split: run python -m bench leak"
    at = page("compare", lang, tab="table")
    assert not at.exception
    (said,) = [i.value for i in at.info if f"{lesson['random']:.1%}" in i.value]
    assert all(number in said for number in (f"{lesson['clean']:.1%}", f"{lesson['copies']:.1%}",
                                             f"{lesson['copy_points']:+.1f}", f"{lesson['conflict_points']:+.1f}"))


class Side(dict):
    """The book's runs or ours as the lessons quote them: side[recipe].best_accuracy, side.gain_points;
    computed here with plain Python from the JSON files, not with core.explainers."""

    def __init__(self, recipes, histories, tests):
        super().__init__()
        for recipe in recipes:
            h = histories[recipe]
            epochs = h.get("epoch") or list(range(1, len(h["accuracy"]) + 1))
            val, loss = h["val_accuracy"], h["val_loss"]
            self[recipe] = SimpleNamespace(
                epochs=len(epochs), best_accuracy=max(val), best_epoch=epochs[val.index(max(val))],
                lowest_loss_epoch=epochs[loss.index(min(loss))], final_accuracy=h["accuracy"][-1],
                final_val_accuracy=val[-1], gap_points=(h["accuracy"][-1] - val[-1]) * 100, test_accuracy=tests[recipe])
        first, second = (self[r] for r in recipes) if len(recipes) == 2 else (self[recipes[0]],) * 2
        self.gain_points = (second.best_accuracy - first.best_accuracy) * 100
        self.relative_gain = second.best_accuracy / first.best_accuracy - 1


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_story_quotes_the_runs_on_screen(monkeypatch, tmp_path, lang):
    """Issue 11: the lessons said "after about five epochs" and "about 90%" beside curves that
    showed epoch 10 and 97%. Every number now comes from trained/*/history.json (ours) and
    trained/reference (the book's), and where our base differs, the text says so."""
    from core.explainers.story import STORY

    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path))  # the shipped models only
    trained = paths.TRAINED_DIR
    ours = {r.name: json.loads((r / "history.json").read_text()) for r in trained.iterdir()
            if r.name in recipes.RECIPES and (r / "card.json").is_file()}  # the chapter's, not trained/ccsn-*
    cards = {name: json.loads((trained / name / "card.json").read_text()) for name in ours}
    book = {r: json.loads((trained / "reference" / f"{r}.json").read_text()) for r in ours}
    at = page("compare", lang)
    strings = CATALOG[lang]
    for step in STORY:
        at.segmented_control(key="story_step").set_value(step.key).run()
        assert not at.exception
        shown = [m.value for m in at.markdown]
        the_book = Side(step.recipes, {r: book[r]["history"] for r in step.recipes},
                        {r: book[r]["test_accuracy"] for r in step.recipes})
        assert strings[f"compare.story.{step.key}.lesson"].format(book=the_book) in shown
        mine = Side(step.recipes, ours, {r: cards[r]["test_accuracy"] for r in step.recipes})
        paragraph = next(m for m in shown if m.startswith(strings[f"compare.story.{step.key}.ours"].split("{")[0]))
        assert paragraph.startswith(strings[f"compare.story.{step.key}.ours"].format(book=the_book, ours=mine))
        bases = {cards[r]["base"] for r in step.recipes} - {None}
        differs = [strings["compare.story.differs.base"].format(base=strings[f"compare.base.{b}"]) for b in bases]
        assert all(sentence in paragraph for sentence in differs)
        assert bool(differs) == (step.key in ("feature_extraction", "fine_tuning"))  # EfficientNet-Lite0, not VGG16
    overfitting = Side(("scratch",), {"scratch": book["scratch"]["history"]}, {"scratch": None})["scratch"]
    assert overfitting.lowest_loss_epoch == 10  # what the issue read off the chart, not "about five"


def test_train_live_start_then_cancel(env):
    at = page("train")
    assert not at.exception
    at.button(key="train_start").click().run()
    assert not at.exception
    run = Path(at.session_state["train_run"])
    assert run.parent == env and launcher.current()["run"] == str(run)
    other = page("train")  # a second user sees the run and cannot start another
    assert other.button(key="train_start").disabled
    assert any(run.name in i.value for i in other.info)
    at.button(key="train_cancel").click().run()
    assert not at.exception
    assert launcher.current() is None
    assert launcher.status(run, running=False).state == "cancelled"
    resumable = (run / "state.json").exists()  # an epoch finished before the cancel (unlikely this soon)
    assert [c.value for c in at.code] == ([launcher.resume_command(run)] if resumable else [])


def test_train_live_to_the_end_then_compare_and_predict_show_the_run(env):
    at = page("train")
    at.button(key="train_start").click().run()
    run = Path(at.session_state["train_run"])
    deadline = time.time() + 180
    while launcher.current() and time.time() < deadline:
        time.sleep(1)
    at.run()
    assert not at.exception
    assert at.success, texts(at)
    assert [c.value for c in at.code] == [launcher.promote_command(run)]
    assert len(at.get("plotly_chart")) == 2  # the run's accuracy and loss, epoch by epoch
    compare = page("compare", tab="runs")
    assert any(run.name in option for option in compare.multiselect(key="compare_sets").options)
    predict = page("predict", tab="digit")
    assert predict.multiselect(key="digit_runs").value == [str(run)]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("registered", PAGES, ids=lambda registered: registered.name)
def test_every_page_runs_inside_the_router(env, registered, lang):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.run().switch_page(registered.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == CATALOG[lang][f"{registered.name}.title"]


def test_every_key_the_results_pages_use_is_in_both_languages():
    import re

    used = set()
    for name in ("predict", "compare", "train", "_results"):
        used |= set(re.findall(r'\bt\("([a-z_.]+)"', (REPO / "pages" / f"{name}.py").read_text()))
    from core.explainers.story import STORY
    used |= {f"compare.story.{s.key}.{part}" for s in STORY for part in ("title", "short", "lesson", "ours")}
    used |= {f"compare.base.{base}" for base in recipes.BASES}
    used |= {f"train.state.{s}" for s in ("starting", "running", "done", "error", "cancelled", "stopped")}
    used |= {f"train.phase.{p}" for p in ("start", "data", "features", "unfreeze", "train", "export", "evaluate")}
    used |= {f"predict.bad.{code}" for code in BadImageCode}
    for lang in ("en", "zh-TW"):
        assert not used - set(CATALOG[lang]), lang


def test_fine_tuning_needs_a_feature_extraction_run(env, tiny_trained):
    at = page("train")
    at.selectbox(key="train_recipe").set_value("fine_tuning").run()
    assert not at.exception
    assert at.button(key="train_start").disabled
    assert CATALOG["en"]["recipe.feature_extraction_augmented"] in at.warning[0].value
    source = env / "feature_extraction_augmented-1"  # a finished run that kept its Keras model
    shutil.copytree(tiny_trained / "scratch", source)
    card = json.loads((source / "card.json").read_text())
    (source / "card.json").write_text(json.dumps({**card, "recipe": "feature_extraction_augmented",
                                                  "base": "efficientnet_lite0"}))
    at = page("train")
    at.selectbox(key="train_recipe").set_value("fine_tuning").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="train_from").value == str(source)
    assert not at.button(key="train_start").disabled
