"""Predict, Evaluate and Compare on data sets beyond cats and dogs (AppTest), with tiny hand-built ONNX
models that carry a data set's labels in their metadata, as every exported model does: top-3
bars in the UI's language, the N×N confusion matrix from a card alone (MNIST's 10×10 too), and
measured on a run's test photos with the photos of a cell."""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import datasets, paths, recipes
from core.artifacts.card import untrained
from core.data.manifest import MANIFEST_NAME
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
SIDE = 16
SKY = datasets.labelled("sky", ("Ci", "Cu", "St"), {"en": ("cirrus", "cumulus", "stratus"),
                                                     "zh-TW": ("卷雲", "積雲", "層雲")}, image_size=(SIDE, SIDE))


def colour_model(dataset: datasets.Dataset) -> onnx.ModelProto:
    """pixels -> mean colour -> one logit per class (class i likes channel i % 3) -> softmax."""
    classes = len(dataset.classes)
    weights = np.zeros((3, classes), np.float32)
    for i in range(classes):
        weights[i % 3, i] = 0.05 * (1 + i // 3)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixels"], ["mean"], axes=[1, 2], keepdims=0),
         helper.make_node("MatMul", ["mean", "w"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1)],
        "colour", [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["n", SIDE, SIDE, 3])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["n", classes])],
        [helper.make_tensor("w", TensorProto.FLOAT, weights.shape, weights.flatten())])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    helper.set_model_props(model, datasets.onnx_metadata(dataset, "test"))
    return model


def make_run(folder: Path, dataset: datasets.Dataset, recipe: str = "scratch", confusion=None, **card) -> Path:
    folder.mkdir(parents=True)
    data = colour_model(dataset).SerializeToString()
    (folder / "model.onnx").write_bytes(data)
    (folder / "history.json").write_text(json.dumps({"accuracy": [0.5], "val_accuracy": [0.4],
                                                     "loss": [1.0], "val_loss": [1.1]}))
    untrained(recipes.get(recipe), hashlib.sha256(data).hexdigest(), dataset=dataset.id, epochs=1,
              confusion=confusion or [], test_size=int(np.sum(confusion or 0)), finished="2026-12-02T00:00:00",
              test_accuracy=float(np.trace(confusion) / np.sum(confusion)) if confusion else 0.0, **card).write(folder)
    return folder


def photo(rgb) -> Image.Image:
    return Image.new("RGB", (40, 30), rgb)


@pytest.fixture
def trained(tmp_path, monkeypatch) -> Path:
    """trained/ holding a cloud model (3 classes, its card's matrix and top-3) and an MNIST one
    (10×10 on its card); no data, no runs."""
    root = tmp_path / "trained"
    sky = [[5, 1, 0], [2, 4, 0], [0, 1, 6]]
    make_run(root / "sky-scratch", SKY, confusion=sky, metrics={"top1": 0.79, "top3": 1.0, "macro_f1": 0.78})
    mnist = (np.eye(10, dtype=int) * 9 + 1).tolist()
    make_run(root / "mnist", datasets.MNIST, recipe="mnist", confusion=mnist)
    monkeypatch.setattr(paths, "TRAINED_DIR", root)
    monkeypatch.setenv("CONVNET_DATA", str(tmp_path / "no-data"))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    return root


def page(name: str, lang: str, tab: str | None = None, **state) -> AppTest:
    """A page as opened, on its tab `tab` (a key of its strings: a page with tabs runs only the chosen one)."""
    at = AppTest.from_file(str(REPO / "pages" / f"{name}.py"), default_timeout=60)
    at.session_state["lang"] = lang
    if tab:
        at.query_params[f"{name}_tab"] = CATALOG[lang][f"{name}.tab.{tab}"]
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def bars(at: AppTest) -> list[tuple[str, float]]:
    """Each top-k bar on the page, top to bottom: (its class name, its value); the number written
    beside the name is the bar's own value, as a percent."""
    shown = []
    for bar in at.get("progress"):
        name, percent = bar.proto.text.split(" · ")
        assert abs(float(percent[:-1]) - bar.proto.value) <= 1  # the bar holds whole percents
        shown.append((name.strip("*"), float(percent[:-1]) / 100))
    return shown


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_predict_shows_the_cloud_models_top3_in_the_ui_language(trained, lang):
    at = page("predict", lang)
    assert not at.exception
    selector = at.get("button_group")[0]
    assert CATALOG[lang]["topk.dataset.cats_and_dogs"] in str(selector.proto)
    selector.set_value("sky").run()
    at.file_uploader(key="photo").upload("sky.png", _png(photo((40, 60, 200))), "image/png")
    at.run()
    assert not at.exception
    shown = bars(at)
    assert [name for name, _ in shown] == [SKY.display_names[lang][i] for i in (2, 1, 0)]  # blue, green, red
    assert shown[0][1] > shown[1][1] > shown[2][1] and sum(p for _, p in shown) <= 1.001
    assert any(CATALOG[lang]["recipe.scratch"] in m.value for m in at.markdown)


@pytest.mark.parametrize("dataset, classes", [("sky", 3), ("mnist", 10)])
def test_evaluate_shows_the_cards_matrix_without_data(trained, dataset, classes):
    at = page("evaluate", "zh-TW", evaluate_dataset=dataset)
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmap = figure["data"][0]
    assert heatmap["type"] == "heatmap" and len(heatmap["z"]) == classes and len(heatmap["z"][0]) == classes
    names = (SKY if dataset == "sky" else datasets.MNIST).display_names["zh-TW"]
    assert list(heatmap["x"]) == list(names) == list(heatmap["y"])
    table = at.dataframe[0].value
    assert len(table) == classes and list(table[CATALOG["zh-TW"]["evaluate.col.class"]]) == list(names)
    assert CATALOG["zh-TW"]["evaluate.from_card"].format(n=int(np.sum(heatmap["z"]))) in [c.value for c in at.caption]
    top3 = at.metric[1].value
    assert top3 == ("100.0%" if dataset == "sky" else "–")  # the card's own; MNIST's card has none
    assert CATALOG["zh-TW"]["evaluate.photos_need_data"] in [i.value for i in at.info]


def test_evaluate_measures_a_runs_test_photos_and_shows_a_cell(tmp_path, monkeypatch):
    """A user's run with its split manifest: judged here, each cell's photos shown."""
    data = tmp_path / "data" / "sky"
    colours = {"Ci": (200, 40, 40), "Cu": (40, 200, 40), "St": (40, 40, 200)}
    files = {}
    for i, (label, rgb) in enumerate(colours.items()):
        (data / label).mkdir(parents=True)
        for k in range(2):
            photo(rgb if k == 0 else colours["St"]).save(data / label / f"{k}.png")
        files[label] = [f"{label}/0.png", f"{label}/1.png"]
    run = make_run(tmp_path / "runs" / "scratch-sky-1", SKY, confusion=[[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    (run / MANIFEST_NAME).write_text(json.dumps({"root": str(data), "files": {"test": files}}))
    monkeypatch.setattr(paths, "TRAINED_DIR", tmp_path / "trained")
    monkeypatch.setenv("CONVNET_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    at = page("evaluate", "en", evaluate_dataset="sky")
    at.toggle(key="evaluate_on_sky").set_value(True).run()
    assert not at.exception
    heatmap = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert heatmap["z"] == [[1, 0, 1], [0, 1, 1], [0, 0, 2]]
    assert at.metric[0].value == "66.7%"
    cell = at.selectbox(key=f"evaluate_cell_{run}_True")
    assert cell.value == "0,2"  # the largest mistake first
    captions = [img.caption for element in at.get("image") for img in element.proto.imgs]
    assert captions == ["1.png"]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_compare_groups_runs_by_data_set(trained):
    at = page("compare", "en", tab="runs")
    assert not at.exception
    chapter = at.multiselect(key="compare_sets").options
    assert any("MNIST" in option or "mnist" in option.lower() for option in chapter)
    assert not any("sky" in option for option in chapter)
    at = page("compare", "zh-TW", tab="runs", compare_dataset="sky")
    assert not at.exception
    sky = at.multiselect(key="compare_sets_sky")
    assert sky.options == [CATALOG["zh-TW"]["recipe.scratch"] + " · sky"] and sky.value == ["shipped:sky-scratch"]
