"""Data sets as data: their contents, and recipes and models that follow them (no test of a
data set's name shapes a model)."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from core import datasets, recipes
from core.datasets import CATS_DOGS, DATASETS, MNIST, Dataset
from core.training import models

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
