"""Inside the model and Predict's "why?" through AppTest, with every shipped model in trained/
(the real ones: feature maps of every layer, Grad-CAM of each), in both languages; a model whose
graph cannot be explained says why, translated, and the rest of the page works."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from core import paths
from core.artifacts.rundir import models
from core.explainers.inside import read_patterns
from core.reasons import Code, Reason
from core.serving import explain
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
SHIPPED = [info for info in models()[0] if info.ok]

pytestmark = pytest.mark.slow  # every shipped model, Lite0 included, on a 2-core CPU


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "TRAINED_DIR", REPO / "trained")
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))


def photo() -> bytes:
    image = Image.new("RGB", (320, 200), (90, 100, 110))
    ImageDraw.Draw(image).ellipse([100, 50, 220, 150], fill=(200, 80, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def page(name: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / f"{name}.py"), default_timeout=180)
    at.session_state["lang"] = lang
    return at.run()


def captions(at: AppTest) -> list[str]:
    return [img.caption for element in at.get("image") for img in element.proto.imgs]


def patterns_tab(at: AppTest, lang: str):
    return next(tab for tab in at.tabs if tab.label == CATALOG[lang]["inside.tab.patterns"])


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("info", SHIPPED, ids=[info.recipe for info in SHIPPED])
def test_inside_shows_every_layer_and_the_heatmaps(env, info, lang):
    at = page("inside", lang)
    assert not at.exception
    at.selectbox(key="inside_model").set_value(str(info.path)).run()
    if "upload" != at.segmented_control(key="inside_source").value:  # samples where the data is here
        at.segmented_control(key="inside_source").set_value("upload").run()
    at.file_uploader(key="inside_upload").upload("photo.png", photo(), "image/png")
    at.run()
    assert not at.exception
    strings = CATALOG[lang]
    model = explain.explainer(info.path)
    layer_lines = [m.value for m in at.markdown if m.value.startswith("**") and " × " in m.value]
    assert [line.split("**")[1] for line in layer_lines] == [layer.name for layer in model.layers]
    same = [i for i in SHIPPED if i.card.dataset == info.card.dataset][:5]
    heat = [c for c in captions(at) if c and strings["inside.gradcam.caption"].split("·")[-1].split("{")[0] in c]
    assert len(heat) == len(same)  # one heatmap per model of the data set, side by side
    patterns = read_patterns(info.path)  # every shipped model ships them (test_explain checks they are its own)
    tab = patterns_tab(at, lang)
    assert patterns is not None and not tab.info
    assert [m.value for m in tab.markdown if m.value.startswith("**")] == [
        strings["inside.patterns.layer"].format(name=row.name, n=len(row.filters), steps=patterns.steps,
                                                seed=patterns.seed) for row in patterns.layers]
    assert len(tab.get("image")) == len(patterns.layers)  # one row of tiles per layer, shown at once


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_predicts_why_switch_under_every_verdict(env, lang):
    at = page("predict", lang)
    at.file_uploader(key="photo").upload("photo.png", photo(), "image/png")
    at.run()
    cats_dogs = [info for info in SHIPPED if info.card.dataset == "cats_and_dogs"]
    for i in range(len(cats_dogs)):
        at.toggle(key=f"why_verdict_{i}").set_value(True)
    at.run()
    assert not at.exception
    layer = CATALOG[lang]["inside.gradcam.caption"].split("·")[-1].split("{")[0]
    assert len([c for c in captions(at) if c and layer in c]) == len(cats_dogs)


def test_a_model_that_cannot_be_explained_says_why(env, monkeypatch):
    info = next(i for i in SHIPPED if i.recipe == "scratch")
    real = explain.Explainer._head

    def refuse(self, graph):
        real(self, graph)
        self.gradcam_problem = Reason(Code.EXPLAIN_UNSUPPORTED, "no", op="Gelu")
        return []

    monkeypatch.setattr(explain.Explainer, "_head", refuse)
    monkeypatch.setattr(explain, "_cache", {})
    at = page("inside", "zh-TW")
    at.selectbox(key="inside_model").set_value(str(info.path)).run()
    if "upload" != at.segmented_control(key="inside_source").value:  # samples where the data is here
        at.segmented_control(key="inside_source").set_value("upload").run()
    at.file_uploader(key="inside_upload").upload("photo.png", photo(), "image/png")
    at.run()
    assert not at.exception
    expected = CATALOG["zh-TW"]["inside.no_gradcam"].format(
        reason=CATALOG["zh-TW"]["reasons.explain_unsupported"].format(op="Gelu"))
    assert expected in [i.value for i in at.info]
    assert [m for m in at.markdown if m.value.startswith("**conv1**")]  # the feature maps still work


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_model_without_filter_patterns_says_how_to_make_them(env, tmp_path, lang):
    """A finished run has no patterns until `python -m core patterns` makes them: the tab says so,
    translated, and the rest of the page works."""
    run = tmp_path / "runs" / "mnist-no-patterns"
    run.mkdir(parents=True)
    for name in ("card.json", "history.json", "model.onnx"):
        (run / name).write_bytes((REPO / "trained" / "mnist" / name).read_bytes())
    at = page("inside", lang)
    at.selectbox(key="inside_model").set_value(str(run)).run()
    assert not at.exception
    missing = CATALOG[lang]["inside.patterns.missing"].format(command=f"python -m core patterns {run}")
    assert [i.value for i in patterns_tab(at, lang).info] == [missing]
    assert not patterns_tab(at, lang).get("image")
    assert [m for m in at.markdown if m.value.startswith("**conv1**")]  # the feature maps still work


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_cloud_model_is_shown_skies_from_its_own_samples(env, lang):
    """The Inside page offers a model its own data set's shipped samples (samples/ccsn/: one sky
    per genus, named in the UI's language), not cat photos; one picked, its layers are drawn."""
    from core.data.folders import sample_photos
    from core.data.labelled import known_name

    cloud = next(info for info in SHIPPED if info.card.dataset == "ccsn")
    at = page("inside", lang)
    at.selectbox(key="inside_model").set_value(str(cloud.path)).run()
    assert at.segmented_control(key="inside_source").value == "sample"
    picker = at.selectbox(key="inside_sample_ccsn")
    skies = sample_photos("ccsn")
    assert len(picker.options) == len(skies) == 11
    names = {known_name("ccsn", sky.label, lang) for sky in skies}
    assert {option.split(" · ")[0] for option in picker.options} == names
    assert ("卷雲" if lang == "zh-TW" else "cirrus") in names
    assert [i.value for i in at.info] == [CATALOG[lang]["inside.pick_sample"]]  # not a blank page below
    picker.set_value(f"ccsn/{skies[0].path.name}").run()
    assert not at.exception
    model = explain.explainer(cloud.path)
    layer_lines = [m.value for m in at.markdown if m.value.startswith("**") and " × " in m.value]
    assert [line.split("**")[1] for line in layer_lines] == [layer.name for layer in model.layers]
    assert any(CATALOG[lang]["inside.maps.about.photos"] in m.value for m in at.markdown)  # not “ear” or “eye”
    assert not any(CATALOG[lang]["inside.maps.about.cats_and_dogs"] in m.value for m in at.markdown)
