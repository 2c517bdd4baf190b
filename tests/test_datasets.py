"""Data sets as data: their contents, recipes and models that follow them (no test of a data
set's name shapes a model), and the labels every model.onnx carries in its metadata."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from core import __main__ as cli
from core import datasets, recipes
from core.artifacts.card import Card, untrained
from core.artifacts.files import atomic_write_json, sha256_file
from core.artifacts.rundir import HISTORY_KEYS
from core.datasets import CATS_DOGS, DATASETS, MNIST, Dataset
from core.paths import TRAINED_DIR
from core.serving import inference
from core.serving.inference import ModelUnavailable, Predictor
from core.training import models
from core.training.export import OUTPUT_NAME, export_onnx

REPO = Path(__file__).resolve().parents[1]
SHAPES = Dataset(  # a made-up three-class data set, colour, small
    id="shapes", title="Shapes", classes=("circles", "squares", "triangles"),
    display_names={"en": ("circle", "square", "triangle"), "zh-TW": ("圓形", "正方形", "三角形")},
    image_size=(32, 32), grey=False, layout="folders", path="shapes", credit="generated")


def test_the_two_data_sets():
    assert tuple(DATASETS) == ("mnist", "cats_and_dogs")
    assert MNIST.classes == tuple("0123456789") and MNIST.display_names["zh-TW"] == MNIST.classes
    assert (MNIST.image_size, MNIST.grey, MNIST.output) == ((28, 28), True, "softmax")
    assert MNIST.layout == "keras_npz" and MNIST.path == "mnist/mnist.npz" and MNIST.validation_from_train == 5_000
    assert CATS_DOGS.classes == ("cats", "dogs")  # label 0 = cats, 1 = dogs: flow_from_directory's order
    assert CATS_DOGS.display_names == {"en": ("Cat", "Dog"), "zh-TW": ("貓", "狗")}
    assert (CATS_DOGS.image_size, CATS_DOGS.grey, CATS_DOGS.output) == ((150, 150), False, "sigmoid")
    assert CATS_DOGS.layout == "folders" and CATS_DOGS.path == "cats_and_dogs_small"
    assert all(d.credit and d.title for d in DATASETS.values())
    with pytest.raises(KeyError, match="choose one of: mnist, cats_and_dogs"):
        datasets.get("imagenet")


def test_a_data_set_must_name_every_class_in_every_language():
    with pytest.raises(ValueError, match="zh-TW"):
        dataclasses.replace(SHAPES, display_names={"en": SHAPES.display_names["en"], "zh-TW": ("圓形",)})


@pytest.mark.parametrize("recipe_id", recipes.RECIPE_IDS)
def test_recipes_read_their_data_set(recipe_id):
    recipe = recipes.get(recipe_id)
    assert recipe.data is DATASETS[recipe.dataset]
    assert recipe.input_shape == (*recipe.data.image_size, 1 if recipe.data.grey else 3)
    assert recipe.classes == len(recipe.data.classes)
    assert recipe.loss == {"sigmoid": "binary_crossentropy", "softmax": "sparse_categorical_crossentropy"}[
        recipe.data.output]


def test_no_code_asks_a_data_sets_name_for_structure_loss_or_labels():
    asks = re.compile(r"""dataset\s*[!=]=|[!=]=\s*["']mnist["']|["']mnist["']\s*[!=]=""")
    found = [f"{path.relative_to(REPO)}:{number}" for path in sorted((REPO / "core").rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if asks.search(line)
             and "CAT_DOG_IDS" not in line]  # the recipes of a data set, by id: not structure
    assert not found


@pytest.fixture
def shapes_recipe(monkeypatch):
    monkeypatch.setitem(DATASETS, SHAPES.id, SHAPES)
    return dataclasses.replace(recipes.get("scratch"), id="shapes", dataset=SHAPES.id, conv_filters=(4, 8),
                               dense_units=8)


def test_a_three_class_data_set_gets_a_softmax_of_three(shapes_recipe):
    model = models.build(shapes_recipe)
    assert model.input_shape == (None, 32, 32, 3) and model.output_shape == (None, 3)
    assert model.layers[-1].get_config()["activation"] == "softmax"
    assert shapes_recipe.loss == "sparse_categorical_crossentropy"


def test_two_classes_get_one_sigmoid_unit_named_for_the_second(shapes_recipe, monkeypatch):
    pair = dataclasses.replace(SHAPES, id="pair", classes=("no", "yes"),
                               display_names={"en": ("No", "Yes"), "zh-TW": ("否", "是")})
    monkeypatch.setitem(DATASETS, pair.id, pair)
    model = models.build(dataclasses.replace(shapes_recipe, dataset=pair.id))
    assert model.output_shape == (None, 1) and model.layers[-1].name == "yes_probability"
    assert model.layers[-1].get_config()["activation"] == "sigmoid"


def write_run(run: Path, recipe_id: str) -> None:
    """A card and history beside run/model.onnx, so that the dir reads as a finished run."""
    atomic_write_json(run / "history.json", {k: [0.5] for k in HISTORY_KEYS})
    untrained(recipes.get(recipe_id), sha256_file(run / "model.onnx"), data_fingerprint="fp").write(run)


@pytest.mark.slow
def test_an_exported_model_carries_its_labels_and_serving_reads_them(shapes_recipe, tmp_path):
    model = models.build(shapes_recipe)
    sample = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype(np.float32)
    diff = export_onnx(model, tmp_path / "model.onnx", sample, SHAPES, "0123abcd")
    assert diff <= 1e-4
    proto = onnx.load(tmp_path / "model.onnx")
    assert [o.name for o in proto.graph.output] == [OUTPUT_NAME] == ["probabilities"]
    assert {p.key: p.value for p in proto.metadata_props} == {
        "labels": '["circles", "squares", "triangles"]',
        "display_names": '{"en": ["circle", "square", "triangle"], "zh-TW": ["圓形", "正方形", "三角形"]}',
        "dataset": "shapes", "data_fingerprint": "0123abcd",
        "input": "pixels: NHWC float32 raw 0-255 RGB 32x32", "output": "softmax"}
    write_run(tmp_path, "scratch")
    predictor = Predictor(tmp_path)
    assert predictor.labels == SHAPES.classes and predictor.display_names == SHAPES.display_names
    assert (predictor.dataset, predictor.output) == ("shapes", "softmax")
    probabilities = predictor.run(sample)
    assert probabilities.shape == (4, 3) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def unlabel(path: Path) -> None:
    """model.onnx as exported before the metadata: no metadata_props, output Identity:0."""
    proto = onnx.load(path)
    del proto.metadata_props[:]
    old = proto.graph.output[0].name
    for node in proto.graph.node:
        node.output[:] = ["Identity:0" if name == old else name for name in node.output]
    proto.graph.output[0].name = "Identity:0"
    onnx.save(proto, path)


@pytest.fixture
def legacy_mnist(tmp_path) -> Path:
    """A copy of the shipped MNIST model without labels, its card rehashed to match."""
    run = shutil.copytree(TRAINED_DIR / "mnist", tmp_path / "mnist")
    unlabel(run / "model.onnx")
    card = json.loads((run / "card.json").read_text())
    atomic_write_json(run / "card.json", {**card, "sha256": sha256_file(run / "model.onnx")})
    return run


def test_a_model_without_labels_is_unavailable_and_says_how_to_label_it(legacy_mnist):
    with pytest.raises(ModelUnavailable, match=r"mnist: model.onnx has no labels in its metadata: label it with "
                                               r"`python -m core label .*mnist`"):
        Predictor(legacy_mnist)
    assert str(legacy_mnist.resolve()) not in inference._cache


def test_labelling_changes_only_the_output_name_and_the_metadata(legacy_mnist, capsys):
    before = legacy_mnist / "before.onnx"
    shutil.copy(legacy_mnist / "model.onnx", before)
    card = Card.read(legacy_mnist)
    assert cli.main(["label", str(legacy_mnist)]) == 0
    assert "labelled for mnist" in capsys.readouterr().out
    labelled = Card.read(legacy_mnist)
    assert labelled.to_dict() == card.replace(sha256=sha256_file(legacy_mnist / "model.onnx")).to_dict()
    assert (legacy_mnist / "model.onnx").read_bytes() == (TRAINED_DIR / "mnist" / "model.onnx").read_bytes()
    pixels = np.random.default_rng(3).uniform(0, 255, (5, 28, 28, 1)).astype(np.float32)
    old, new = (ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]) for p in (before, legacy_mnist / "model.onnx"))
    assert np.array_equal(old.run(None, {"pixels": pixels})[0], new.run(None, {"pixels": pixels})[0])
    assert Predictor(legacy_mnist).labels == MNIST.classes


def test_labelling_refuses_a_model_that_does_not_fit_the_data_set(legacy_mnist, capsys):
    card = json.loads((legacy_mnist / "card.json").read_text())
    atomic_write_json(legacy_mnist / "card.json", {**card, "recipe": "scratch"})
    onnx_bytes = (legacy_mnist / "model.onnx").read_bytes()
    assert cli.main(["label", str(legacy_mnist)]) == 2
    assert "input is N x [28, 28, 1], not N x [150, 150, 3] as cats_and_dogs needs" in capsys.readouterr().err
    assert (legacy_mnist / "model.onnx").read_bytes() == onnx_bytes


@pytest.mark.parametrize("recipe_id", recipes.RECIPE_IDS)
def test_every_shipped_model_carries_its_data_sets_labels(recipe_id):
    run = TRAINED_DIR / recipe_id
    card = Card.read(run)
    assert card.sha256 == sha256_file(run / "model.onnx")
    data = recipes.get(recipe_id).data
    session = ort.InferenceSession(str(run / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["probabilities"]
    metadata = session.get_modelmeta().custom_metadata_map
    assert json.loads(metadata["labels"]) == list(data.classes)
    assert json.loads(metadata["display_names"]) == {k: list(v) for k, v in data.display_names.items()}
    assert metadata["dataset"] == data.id and metadata["output"] == data.output
    assert metadata["data_fingerprint"] == card.data_fingerprint
    assert metadata["input"] == datasets.onnx_metadata(data, card.data_fingerprint)["input"]
