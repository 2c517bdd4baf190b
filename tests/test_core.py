"""The spine: recipes vs the book, models' shapes and parameter counts, one real training
step and ONNX export per recipe (Keras vs onnxruntime), loaders and the CLI."""
from __future__ import annotations

import json

import numpy as np
import pytest

from core import __main__ as cli
from core import recipes
from core.artifacts.rundir import read_run
from core.data import folders
from core.serving.inference import predictor
from core.training import models

BOOK_PARAMS = {  # the book's model.summary() totals
    "mnist": 93_322,  # L5.2
    "scratch": 3_453_121,  # L5.5
    "scratch_augmented": 3_453_121,  # L5.13
}


def test_recipe_ids_are_the_contract():
    assert recipes.RECIPE_IDS == ("mnist", "scratch", "scratch_augmented", "feature_extraction",
                                  "feature_extraction_augmented", "fine_tuning")
    assert recipes.get("scratch_augmented").augmentation == recipes.BOOK_AUGMENTATION
    with pytest.raises(KeyError, match="choose one of"):
        recipes.get("resnet")


BOOK_STEPS = {  # fit_generator(steps_per_epoch=...) on the 2,000 training photos
    "scratch": 100,  # L5.8, batch 20
    "scratch_augmented": 100,  # L5.14, batch 32: 1.6 passes per epoch, 10,000 updates in 100 epochs
    "feature_extraction_augmented": 100,  # L5.21, batch 20
    "fine_tuning": 100,  # L5.22, batch 20
    "feature_extraction": 100,  # L5.19: model.fit on the 2,000 feature maps, batch 20
}


@pytest.mark.parametrize("recipe_id", sorted(BOOK_STEPS))
def test_epochs_are_the_books_number_of_batches(recipe_id):
    assert recipes.get(recipe_id).steps_per_epoch(2000) == BOOK_STEPS[recipe_id]
    assert recipes.get("mnist").steps_per_epoch(60_000) == 938  # L5.3: model.fit, batch 64, one pass


@pytest.mark.parametrize("recipe_id", sorted(BOOK_PARAMS))
def test_scratch_models_match_the_book(recipe_id):
    model = models.build(recipes.get(recipe_id))
    assert model.count_params() == BOOK_PARAMS[recipe_id]
    assert model.inputs[0].name == models.INPUT_NAME


def test_mnist_output_shapes_follow_listing_5_2():
    shapes = [tuple(r["output_shape"][1:]) for r in models.summary_rows(models.build(recipes.get("mnist")))
              if r["type"] in ("Conv2D", "MaxPooling2D")]
    assert shapes == [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64), (3, 3, 64)]


def test_vgg16_recipes_match_the_book():
    """L5.16: 14,714,688 in the base; L5.20: 16,812,353 in all, trainable weights 30 -> 4."""
    import keras

    model = models.build(recipes.get("feature_extraction_augmented"), "vgg16", base_weights=False)
    conv_base = models.conv_base_of(model)
    assert conv_base.count_params() == 14_714_688
    assert model.count_params() == 16_812_353
    assert len(model.trainable_weights) == 4
    conv_base.trainable = True
    assert len(model.trainable_weights) == 30
    unfrozen = models.unfreeze_top(model, "vgg16")
    assert unfrozen == ["block5_conv1", "block5_conv2", "block5_conv3", "block5_pool"]
    assert len(model.trainable_weights) == 6 + 4
    assert isinstance(conv_base, keras.Model)


def test_vgg16_without_internet_fails_fast_with_instructions(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    from core.training.bases.vgg16 import VGG16WeightsUnavailable, build

    with pytest.raises(VGG16WeightsUnavailable, match="efficientnet_lite0"):
        build(weights=True)


def test_mnist_loader_reads_a_local_npz(tiny_mnist):
    (x, y), (x_test, y_test) = folders.load_mnist(tiny_mnist, download=False)
    assert x.shape[1:] == (28, 28) and x.dtype == np.uint8 and len(y) == len(x)
    assert x_test.shape == (64, 28, 28)


def test_mnist_missing_offline_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(folders, "mnist_path", lambda explicit=None: None)
    with pytest.raises(folders.DataFolderError, match="mnist.npz not found"):
        folders.load_mnist(tmp_path, download=False)


def test_cats_dogs_wrong_folder_is_a_clear_error(tmp_path):
    with pytest.raises(folders.DataFolderError, match="prepare-data"):
        folders.cats_dogs_root(tmp_path)


@pytest.fixture(scope="module")
def trained_runs(tmp_path_factory, tiny_mnist, tiny_cats_dogs):
    """One epoch of every recipe on tiny generated data, exported; fine_tuning continues
    feature_extraction_augmented, as in the book."""
    from core.training.train import train

    root = tmp_path_factory.mktemp("runs")
    runs = {}
    for recipe_id in recipes.RECIPE_IDS:
        source = tiny_mnist if recipe_id == "mnist" else tiny_cats_dogs
        start = runs.get(recipes.get(recipe_id).starts_from)
        runs[recipe_id] = train(recipe_id, epochs=1, data_dir=source, out=root / recipe_id,
                                start_from=start, verbose=0)
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("recipe_id", recipes.RECIPE_IDS)
def test_every_recipe_trains_exports_and_matches_keras(trained_runs, recipe_id):
    run = trained_runs[recipe_id]
    info = read_run(run)
    assert info.ok, info.problem
    card = info.card
    assert card.recipe == recipe_id and card.epochs == 1
    assert card.steps_per_epoch == recipes.get(recipe_id).steps_per_epoch(card.train_size)
    assert card.parity_max_abs_diff <= 1e-4
    assert set(info.history) == {"accuracy", "val_accuracy", "loss", "val_loss"}
    assert len(info.history["accuracy"]) == 1
    assert card.base == recipes.get(recipe_id).base_for()
    events = [e["event"] for e in map(json.loads, (run / "log.jsonl").read_text().splitlines())]
    assert events[0] == "start" and "epoch" in events and events[-1] == "done"

    import keras

    keras_model = keras.models.load_model(run / "model.keras")
    model = predictor(run)
    batch = np.random.default_rng(1).uniform(0, 255, (3, *keras_model.input_shape[1:])).astype("float32")
    expected = np.asarray(keras_model(batch, training=False))
    got = model.session.run(None, {model.input_name: batch})[0]
    assert np.max(np.abs(got - expected)) <= 1e-4
    probabilities = model.run(batch)
    assert probabilities.shape == (3, 10 if recipe_id == "mnist" else 2)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_fine_tuning_unfreezes_only_the_top_and_keeps_batchnorm_frozen(trained_runs):
    import keras

    model = keras.models.load_model(trained_runs["fine_tuning"] / "model.keras")
    base = models.conv_base_of(model)
    trainable = {layer.name for layer in base.layers if layer.trainable and layer.weights}
    assert trainable and all(n.startswith(("block7", "top_")) for n in trainable)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) and layer.trainable for layer in base.layers)


@pytest.mark.slow
def test_cli_predict_prints_json(trained_runs, tiny_cats_dogs, capsys):
    image = next((tiny_cats_dogs / "test" / "dogs").iterdir())
    assert cli.main(["predict", str(trained_runs["scratch"]), str(image)]) == 0
    result = json.loads(capsys.readouterr().out)[0]
    assert result["label"] in ("cats", "dogs") and 0 <= result["probabilities"]["dogs"] <= 1


def test_cli_summary_and_recipes(capsys):
    assert cli.main(["recipes"]) == 0
    assert "fine_tuning" in capsys.readouterr().out
    assert cli.main(["summary", "mnist", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"] == 93_322


def test_cli_reports_errors_without_traceback(tmp_path, capsys):
    assert cli.main(["train", "scratch", "--data", str(tmp_path), "--out", str(tmp_path / "run")]) == 2
    assert "error:" in capsys.readouterr().err
