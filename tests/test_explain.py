"""Inside the model (5.4) through onnxruntime: activations equal Keras' intermediate outputs, the
numpy Grad-CAM equals TensorFlow's GradientTape on the Keras model, the CLI, and a Grad-CAM that
points at a cat pasted on a plain canvas (shipped pretrained models)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.explainers import inside as pictures
from core.serving import explain
from core.serving.inference import Predictor

TOLERANCE = 1e-4
TRAINED = Path(__file__).resolve().parents[1] / "trained"
PRETRAINED = ("feature_extraction", "feature_extraction_augmented", "fine_tuning")


def _images(size, grey=False, count=3, seed=0):
    rng = np.random.default_rng(seed)
    mode = "L" if grey else "RGB"
    shape = size if grey else (*size, 3)
    return [Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode) for _ in range(count)]


def _keras_reference(model, conv, image_batch, layer_models, class_index, sigmoid):
    """keras.io's Grad-CAM (the book's Listings 5.40-5.43): GradientTape on the class score
    (logit: the final Dense without its activation) w.r.t. the last conv layer's output."""
    import tensorflow as tf

    to_conv, after = layer_models
    with tf.GradientTape() as tape:
        features = to_conv(image_batch)
        tape.watch(features)
        x = features
        for layer in after[:-1]:
            x = layer(x, training=False)
        logits = tf.matmul(x, after[-1].kernel) + after[-1].bias
        score = (logits[:, 0] if class_index == 1 else -logits[:, 0]) if sigmoid else logits[:, class_index]
    grads = tape.gradient(score, features)
    weights = tf.reduce_mean(grads, axis=(0, 1, 2))
    cam = np.maximum((features[0] @ weights[..., None])[..., 0].numpy(), 0)
    return cam / cam.max() if cam.max() > 0 else cam


def _flat_layers_after(model, name):
    import keras

    layers = []
    for layer in model.layers[[layer.name for layer in model.layers].index(name) + 1:]:
        layers += [inner for inner in layer.layers if not isinstance(inner, keras.layers.InputLayer)] \
            if isinstance(layer, keras.Model) else [layer]
    return layers


@pytest.mark.parametrize("recipe", ["mnist", "scratch"])
def test_activations_and_gradcam_equal_keras(recipe, tiny_runs):
    import keras

    run = tiny_runs[recipe]
    model = keras.models.load_model(run / "model.keras")
    explainer = explain.explainer(run)
    assert [layer.kind for layer in explainer.layers][:2] == ["conv", "pool"]
    assert explainer.last_conv.name == [layer.name for layer in explainer.layers if layer.kind == "conv"][-1]
    keras_layers = keras.Model(model.inputs, [model.get_layer(layer.name).output for layer in explainer.layers])
    to_conv = keras.Model(model.inputs, model.get_layer(explainer.last_conv.name).output)
    after = _flat_layers_after(model, explainer.last_conv.name)
    explainer_model = explainer.model
    sigmoid = explainer_model.output == "sigmoid"
    nonzero = 0
    for image in _images(explainer_model.size, explainer_model.grey):
        from core.data.images import prepare_image

        batch = prepare_image(image, explainer_model.size, explainer_model.grey)[None]
        inside = explainer.inside(image)
        for layer, expected in zip(explainer.layers, keras_layers(batch)):
            got = inside.activations[layer.name]
            assert got.shape == expected.shape[1:], layer.name
            assert np.max(np.abs(got - np.asarray(expected[0]))) <= TOLERANCE, layer.name
        for class_index in range(len(explainer_model.labels)):
            heatmap = inside.heatmap(class_index)
            reference = _keras_reference(model, explainer.last_conv, batch, (to_conv, after), class_index, sigmoid)
            assert heatmap.shape == reference.shape
            assert np.max(np.abs(heatmap - reference)) <= TOLERANCE, class_index
            nonzero += bool(heatmap.max() > 0)
    assert nonzero, "every heatmap was empty: the comparison said nothing"


@pytest.mark.slow  # builds and exports EfficientNet-Lite0 (about a minute on 2 cores)
def test_lite0_blocks_and_gradcam_equal_keras(tmp_path):
    import keras

    from core import datasets, recipes
    from core.training import models
    from core.training.export import export_onnx

    recipe = recipes.get("feature_extraction_augmented")
    keras.utils.set_random_seed(0)
    model = models.build(recipe, "efficientnet_lite0")
    images = _images(recipe.input_shape[:2], count=2)
    from core.data.images import prepare_image

    batches = [prepare_image(image, recipe.input_shape[:2])[None] for image in images]
    export_onnx(model, tmp_path / "model.onnx", np.concatenate(batches), datasets.CATS_DOGS, "test")
    explainer = explain.Explainer(Predictor(tmp_path, verified=False), tmp_path)
    assert [layer.name for layer in explainer.layers][:3] == ["stem", "block1a", "block2a"]
    assert explainer.last_conv.name == "top"
    base = models.conv_base_of(model)
    ends = {block: [layer.name for layer in base.layers if layer.name.startswith(block + "_")][-1]
            for block in (layer.name for layer in explainer.layers)}
    preprocess = models.feature_extractor(model).layers[0]
    blocks = keras.Model(base.inputs, [base.get_layer(ends[layer.name]).output for layer in explainer.layers])
    to_conv = keras.Sequential([preprocess, base])
    after = _flat_layers_after(model, base.name)
    for image, batch in zip(images, batches):
        inside = explainer.inside(image)
        for layer, expected in zip(explainer.layers, blocks(preprocess(batch))):
            assert np.max(np.abs(inside.activations[layer.name] - np.asarray(expected[0]))) <= TOLERANCE, layer.name
        for class_index in (0, 1):
            reference = _keras_reference(model, explainer.last_conv, batch, (to_conv, after), class_index, True)
            assert np.max(np.abs(inside.heatmap(class_index) - reference)) <= TOLERANCE


def test_pictures_of_channels_and_overlay():
    activation = np.zeros((4, 5, 3), dtype=np.float32)
    activation[..., 1] = np.arange(20).reshape(4, 5)
    grid = pictures.channel_grid(activation, columns=2, gap=1)
    assert grid.size == (2 * 5 + 1, 2 * 4 + 1)
    cells = np.asarray(grid.convert("RGB"))  # a palette image: its colours
    assert (cells[:4, :5] == pictures.colour(np.zeros(1))[0]).all()  # blank channel: uniformly dark
    assert len({tuple(p) for p in cells[:4, 6:].reshape(-1, 3)}) > 5  # the ramp: many colours
    photo = Image.new("RGB", (60, 40), (10, 200, 30))
    heat = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert np.array_equal(np.asarray(pictures.overlay(photo, heat, 0.0)), np.asarray(photo))
    hot = np.asarray(pictures.overlay(photo, heat, 1.0))
    assert hot[0, -1, 0] > 100 and hot[-1, 0, 2] > 100  # red where hot, blue where cold (jet)
    assert pictures.peak(heat) == (0.25, 0.75)


def test_a_grid_is_no_wider_than_asked_and_keeps_its_layout():
    activation = np.random.default_rng(0).standard_normal((148, 148, 40)).astype(np.float32)
    full = pictures.channel_grid(activation, columns=16, limit=32, gap=1)
    shrunk = pictures.channel_grid(activation, columns=16, limit=32, gap=1, widest=1200)
    assert full.mode == shrunk.mode == "P" and full.size == (16 * 149 - 1, 2 * 149 - 1)
    assert shrunk.size == (16 * 75 - 1, 2 * 75 - 1)  # cells halved: 74 px, the white lines kept
    cells = np.asarray(shrunk.convert("RGB"))
    assert (cells[74, :] == 255).all() and (cells[:, 74] == 255).all()
    assert np.array_equal(Image.open(io.BytesIO(pictures.png(shrunk))).convert("RGB"), cells)


def test_a_forward_pass_is_remembered_per_model_input():
    model = explain.explainer(TRAINED / "scratch")
    model.forget()
    one, other = _images((150, 150), count=2, seed=3)
    first = model.inside(one)
    assert model.inside(one) is first and model.inside(one.copy(), feature_maps=False) is first
    assert not first.activations["conv1"].flags.writeable  # shared: no caller may change it
    second = model.inside(other, feature_maps=False)
    assert second.key != first.key and len(second.activations) < len(first.activations)  # only what Grad-CAM needs
    model.forget()
    again = model.inside(one)
    assert again is not first and again.key == first.key
    assert np.array_equal(again.activations["conv1"], first.activations["conv1"])


def _cat_on_canvas(photo: Image.Image, rng, canvas=450, size=200):
    x, y = (int(v) for v in rng.integers(0, canvas - size + 1, 2))
    image = Image.new("RGB", (canvas, canvas), (128, 128, 128))
    image.paste(photo.convert("RGB").resize((size, size)), (x, y))
    return image, (x / canvas, y / canvas, (x + size) / canvas, (y + size) / canvas)


def _overlap(low: float, high: float, cells: int) -> np.ndarray:
    """How much of each of `cells` equal cells along an axis [low, high] covers (0-1)."""
    edges = np.arange(cells + 1) / cells
    return np.clip(np.minimum(edges[1:], high) - np.maximum(edges[:-1], low), 0, None) * cells


@pytest.mark.slow  # the shipped Lite0 models on 12 canvases each
@pytest.mark.parametrize("recipe", PRETRAINED)
def test_cat_heatmap_points_at_the_pasted_cat(recipe, shared_data):
    """A cat photo (the whole photo, its background too) at 12 seeded random places on a plain
    grey canvas 2.25 times its side: the cat heatmap's hottest cell overlaps the photo on at least
    2 placements in 3 (a cell chosen at random would on about 1 in 3), and on average the share
    of the heatmap inside the photo is at least 1.5 times the photo's share of the canvas. Not on
    every placement: Lite0's heatmap is 5 x 5, each cell 30 pixels of its 150 with a receptive
    field far wider, and its hottest cell is at times the one beside the photo's edge."""
    explainer = explain.explainer(TRAINED / recipe)
    cats = sorted((shared_data / "cats_and_dogs_small" / "test" / "cats").glob("*.jpg"))[:4]
    rng = np.random.default_rng(0)
    hits, inside, share = 0, [], []
    for cat in cats:
        for _ in range(3):
            canvas, (left, top, right, bottom) = _cat_on_canvas(Image.open(cat), rng)
            heatmap = explainer.inside(canvas, feature_maps=False).heatmap(0)
            covered = np.outer(_overlap(top, bottom, heatmap.shape[0]), _overlap(left, right, heatmap.shape[1]))
            hits += bool(covered.flat[int(np.argmax(heatmap))] > 0)
            inside.append(float((heatmap * covered).sum() / heatmap.sum()))
            share.append(float(covered.mean()))
    assert hits >= 8, f"the hottest cell overlapped the cat on {hits} of 12 placements"
    assert np.mean(inside) >= 1.5 * np.mean(share), (inside, share)


def test_cli_explain_writes_the_overlay_and_the_heatmap(tiny_scratch_run, tmp_path, capsys):
    from core.__main__ import main

    photo = tmp_path / "photo.png"
    _images((64, 48), count=1)[0].save(photo)
    out = tmp_path / "overlay.png"
    assert main(["explain", str(tiny_scratch_run), str(photo), "--class", "dogs", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    heatmap = np.array(result["heatmap"])
    assert result["class"] == "dogs" and heatmap.shape == tuple(result["shape"]) == (15, 15)
    assert 0 <= heatmap.min() and heatmap.max() <= 1
    assert Image.open(out).size == (48, 64)
    assert main(["explain", str(tiny_scratch_run), str(photo), "--class", "horse", "--out", str(out)]) == 2
    assert "cats, dogs" in capsys.readouterr().err


def test_filter_patterns_are_reproducible_from_their_seed(tiny_mnist_run, tmp_path):
    import shutil

    from core.explainers.inside import read_patterns
    from core.training.patterns import PATTERNS_PNG, compute

    copies = [shutil.copytree(tiny_mnist_run, tmp_path / name) for name in ("a", "b")]
    indexes = [compute(run, filters=2, tile=20, seed=7) for run in copies]
    assert indexes[0] == indexes[1] and indexes[0]["seed"] == 7 and indexes[0]["steps"] == 40
    assert [row["name"] for row in indexes[0]["layers"]] == ["conv1", "conv2", "conv3"]
    pixels = [np.asarray(Image.open(run / PATTERNS_PNG)) for run in copies]
    assert np.array_equal(pixels[0], pixels[1]) and pixels[0].std() > 0
    patterns = read_patterns(copies[0])
    assert [row.name for row in patterns.layers] == ["conv1", "conv2", "conv3"]
    assert all(row.image.size == (2 * 20 + 2, 20) for row in patterns.layers)
    compute(copies[1], filters=2, tile=20, seed=8)
    assert not np.array_equal(np.asarray(Image.open(copies[1] / PATTERNS_PNG)), pixels[0])
    assert read_patterns(tmp_path) is None  # no patterns there: the page says how to make them

    from core.artifacts.shipped import promote

    shipped = promote(copies[0], tmp_path / "trained")  # the patterns travel with their model ...
    assert read_patterns(shipped).layers[0].filters == (0, 1)
    plain = shutil.copytree(tiny_mnist_run, tmp_path / "plain")
    assert read_patterns(promote(plain, tmp_path / "trained")) is None  # ... and leave with it


def test_filter_patterns_of_a_model_that_kept_only_its_onnx(tiny_mnist_run, tmp_path):
    """A shipped model has no model.keras: its weights are read back from model.onnx (checked
    against onnxruntime) and give the patterns model.keras gives."""
    import shutil

    from core.training.patterns import PATTERNS_PNG, compute

    kept, bare = (shutil.copytree(tiny_mnist_run, tmp_path / name) for name in ("kept", "bare"))
    (bare / "model.keras").unlink()
    assert compute(bare, filters=1, tile=12)["weights"] == "model.onnx"
    assert compute(kept, filters=1, tile=12)["weights"] == "model.keras"
    diff = np.abs(np.asarray(Image.open(bare / PATTERNS_PNG), dtype=float) - np.asarray(Image.open(kept / PATTERNS_PNG)))
    assert diff.max() <= 2  # the same filters, to a rounding of the 8-bit picture


@pytest.mark.slow  # TensorFlow, and two shipped models rebuilt from their ONNX weights
@pytest.mark.parametrize("recipe", ["mnist", "scratch"])
def test_each_ascent_step_moves_the_image_by_the_step_size(recipe):
    """Listing 5.36's normalisation works at any gradient scale: w.r.t. raw 0-255 pixels the shipped
    models' gradients are 1e-8-1e-5 in RMS, which the book's epsilon of 1e-5 would swamp (the image
    would barely move); a filter that nothing excites yet (zero gradient) stays put."""
    from core.training.patterns import STEP_SIZE, ascent, feature_models

    _, chosen = feature_models(TRAINED / recipe)
    for name, feature_model in chosen:
        images = np.random.default_rng(0).random((8, *feature_model.input_shape[1:])).astype("float32") * 20 + 128
        moved = ascent(feature_model)(images, np.arange(8, dtype="int32"), 1).numpy() - images
        rms = np.sqrt(np.square(moved).mean(axis=(1, 2, 3)))
        assert (rms > 0).sum() >= 2, name
        np.testing.assert_allclose(rms[rms > 0], STEP_SIZE, rtol=1e-3, err_msg=name)


def test_a_cloud_models_recipe_is_rebuilt_with_its_own_classes(monkeypatch):
    """trained/ccsn-*: the recipe's own data has 2 classes; the run's card (its data check) names
    11, as its model.onnx's metadata does, and the patterns' Keras model is built with as many."""
    import onnx

    from core import datasets, recipes
    from core.artifacts.card import Card
    from core.training.patterns import _on_its_data

    monkeypatch.setattr(datasets, "DATASETS", dict(datasets.DATASETS))  # ccsn is registered for this test only
    clouds = sorted(TRAINED.glob("ccsn-*"))
    assert clouds
    for run in clouds:
        card = Card.read(run)
        recipe = _on_its_data(card, recipes.get(card.recipe))
        metadata = {prop.key: prop.value for prop in onnx.load(str(run / "model.onnx")).metadata_props}
        assert recipe.dataset == "ccsn" and recipe.classes == len(json.loads(metadata["labels"])) == 11
        assert recipe.data.display_names["zh-TW"] == tuple(json.loads(metadata["display_names"])["zh-TW"])


def test_every_shipped_model_ships_the_patterns_of_its_own_model():
    """Each model in trained/ ships its filter patterns (5.4.2), made from that very model.onnx
    (patterns.json records its sha256): a model promoted again without fresh patterns fails here."""
    from core.artifacts.files import sha256_file

    shipped = sorted(TRAINED.glob("*/model.onnx"))
    assert shipped
    for model in shipped:
        run = model.parent
        make = f"make them: python -m core patterns {run.relative_to(TRAINED.parent)}"
        assert (run / "patterns.json").is_file() and (run / "patterns.png").is_file(), make
        assert json.loads((run / "patterns.json").read_text())["model_sha256"] == sha256_file(model), make
        patterns = pictures.read_patterns(run)
        assert patterns is not None and patterns.layers, make
        assert all(np.asarray(row.image).std() > 0 for row in patterns.layers), make


def test_a_signed_map_is_coloured_around_zero_in_sharp_blocks():
    """Convolution's feature maps as pictures (core.explainers.inside.diverging): zero takes the
    scale's middle colour, the largest magnitude its end on its own side, each cell a square block."""
    scale = [[0, "#400080"], [0.5, "#ffffff"], [1, "#008080"]]
    values = np.array([[-2.0, 0.0, 1.0], [2.0, 0.0, -1.0]])
    picture = pictures.diverging(values, scale, side=30)
    assert picture.shape == (20, 30, 3) and picture.dtype == np.uint8  # 10 px blocks
    assert (picture[:10, :10] == (64, 0, 128)).all() and (picture[10:, :10] == (0, 128, 128)).all()
    assert (picture[:, 10:20] == 255).all()  # zero: white
    assert (picture[:10, 20:] == np.round(((0 + 255) / 2, (128 + 255) / 2, (128 + 255) / 2))).all()  # +1 of 2: halfway
