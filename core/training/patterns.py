"""Filter patterns (book section 5.4.2, Listings 5.32-5.38): for each chosen layer, the input
that maximises each of its first filters, by gradient ascent from a grey noisy image (40 steps,
the gradient normalised by its RMS), computed once with TensorFlow and stored in the run dir as
one PNG (a row of tiles per layer) and a JSON index that records the seed, so the page shows
them at once and a rerun gives the same pictures.

Which Keras model: the run's model.keras where it kept one. The shipped models keep only
model.onnx, so a from-scratch or MNIST model is rebuilt from its recipe with the weights read
back from the ONNX initialisers (checked against onnxruntime before use), and a pretrained
model's patterns are those of its base's blocks that every pretrained recipe keeps frozen (the
ImageNet weights as shipped: fine-tuning unfreezes only stage 7 and the top). A model that
learned from a labelled folder (the cloud genera) is rebuilt with its model.onnx's classes.

The JSON index records the sha256 of the model.onnx the patterns belong to, so a model replaced
without fresh patterns is found out (tests walk trained/)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from core.artifacts.files import atomic_write_bytes, atomic_write_json, sha256_file
from core.artifacts.shipped import PATTERNS_JSON, PATTERNS_PNG  # in the run dir; core.explainers.inside reads them

LITE0_BLOCKS = ("stem_activation", "block2b_add", "block4c_add", "block6d_add")  # frozen in every recipe
STEPS, STEP_SIZE = 40, 1.0  # Listing 5.35: 40 steps of gradient ascent, step 1
EPSILON = 1e-12  # Listing 5.36's 1e-5 suits its loss's scale; gradients w.r.t. raw 0-255 pixels are 1e-8-1e-5, so
# 1e-5 would outweigh them and the image would barely move
GAP = 2  # pixels of white between tiles


def _deprocess(x: np.ndarray) -> np.ndarray:
    """Listing 5.34: centre, scale to std 0.1 around 0.5, clip, to 0-255 RGB."""
    x = (x - x.mean()) / (x.std() + 1e-5) * 0.1 + 0.5
    x = np.clip(x, 0, 1) * 255
    return np.repeat(x, 3, axis=-1) if x.shape[-1] == 1 else x


def ascent(feature_model):
    """Listing 5.35's 40 steps as one tf.function over a batch, image i climbing filter filters[i]
    (in inference mode the images do not meet, so each climbs alone): traced once per layer, where
    eager steps cost a Python round trip per filter and step. Each step's gradient is normalised
    by its own image's RMS (Listing 5.36), so each image moves by STEP_SIZE in RMS."""
    import tensorflow as tf

    @tf.function
    def climb(images, filters, steps):
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                tape.watch(images)
                outputs = tf.gather(feature_model(images, training=False), filters, axis=-1, batch_dims=1)
                loss = tf.reduce_sum(tf.reduce_mean(outputs, axis=[1, 2]))
            grads = tape.gradient(loss, images)
            grads /= tf.sqrt(tf.reduce_mean(tf.square(grads), axis=[1, 2, 3], keepdims=True)) + EPSILON
            images += grads * STEP_SIZE
        return images

    return climb


def patterns(feature_model, filters: list[int], shape: tuple, seeds: list[int]) -> list[np.ndarray]:
    """Listing 5.35's generate_pattern for each filter: the input (raw 0-255 pixels) that maximises
    it, from grey noise drawn from its seed."""
    images = np.stack([np.random.default_rng(seed).random(shape).astype("float32") * 20 + 128 for seed in seeds])
    climbed = ascent(feature_model)(images, np.asarray(filters, dtype="int32"), STEPS).numpy()
    return [_deprocess(image) for image in climbed]


def _tile(pixels: np.ndarray, tile: int):
    """A pattern as a tile: its centre tile x tile pixels, uncut by resampling (a first layer's
    patterns are textures a few pixels wide, which shrinking would average away); a smaller
    pattern (MNIST's 28 x 28) is enlarged."""
    from PIL import Image

    picture = Image.fromarray(pixels.astype("uint8"))
    if min(picture.size) <= tile:
        return picture.resize((tile, tile), Image.Resampling.BILINEAR)
    left, top = (picture.width - tile) // 2, (picture.height - tile) // 2
    return picture.crop((left, top, left + tile, top + tile))


def _on_its_data(card, recipe):
    """The recipe on the data set the run learned from (a cloud model: 11 classes where the
    recipe's own data has 2), so that its head is built to the exported one's size."""
    from core import datasets, recipes
    from core.artifacts.card import dataset_of

    dataset = dataset_of(card)
    if dataset.id == recipe.dataset:
        return recipe
    if dataset.id not in datasets.DATASETS:
        datasets.register(dataset)
    return recipes.on_data(recipe, dataset.id)


def _from_onnx(run_dir: Path, recipe):
    """A from-scratch recipe's Keras model with the weights of run_dir's model.onnx: each Conv's
    OIHW kernel as Keras' HWIO, each MatMul's as it is (tf2onnx transposes back to NHWC before
    Flatten); refused unless it gives onnxruntime's outputs to 1e-4."""
    import onnx
    from onnx import numpy_helper

    from core.training import models
    from core.training.export import PARITY_TOLERANCE, onnx_outputs

    graph = onnx.load(str(run_dir / "model.onnx")).graph
    weights = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    model = models.build(recipe)
    for layer in model.layers:
        if not layer.weights:
            continue
        nodes = {node.op_type: node for node in graph.node if f"/{layer.name}_1/" in node.name}
        if "Conv" in nodes:
            kernel, bias = (weights[name] for name in nodes["Conv"].input[1:3])
            kernel = kernel.transpose(2, 3, 1, 0)
        else:
            kernel = weights[nodes["MatMul"].input[1]]
            bias = next(weights[name] for name in nodes["Add"].input if name in weights)
        layer.set_weights([kernel, bias.reshape(-1)])
    sample = np.random.default_rng(0).uniform(0, 255, (4, *model.input_shape[1:])).astype("float32")
    diff = float(np.max(np.abs(np.asarray(model(sample, training=False)) - onnx_outputs(run_dir / "model.onnx", sample))))
    if not diff <= PARITY_TOLERANCE:
        raise ValueError(f"{run_dir}: the weights read back from model.onnx differ from it by {diff:.2e}")
    return model


def feature_models(run_dir: Path) -> tuple[str, list]:
    """(where the weights come from, [(layer name, raw pixels -> that layer's output)])."""
    import keras

    from core import recipes
    from core.artifacts.card import Card
    from core.training import bases, models

    if (run_dir / "model.keras").is_file():
        model, source = keras.models.load_model(run_dir / "model.keras"), "model.keras"
    else:
        card = Card.read(run_dir)
        recipe = _on_its_data(card, recipes.get(card.recipe))
        model, source = (models.build(recipe, card.base), "imagenet") if recipe.pretrained else \
            (_from_onnx(run_dir, recipe), "model.onnx")
    convs = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    if convs:
        return source, [(name, keras.Model(model.inputs, model.get_layer(name).output)) for name in convs]
    base = models.conv_base_of(model)
    if base.name != "efficientnet_lite0":
        raise ValueError(f"{run_dir}: filter patterns of the {base.name} base are not computed here")
    preprocess = models.feature_extractor(model).layers[0]
    unfrozen = {layer.name for layer in bases.fine_tune_layers("efficientnet_lite0", base, recipe.unfreeze_blocks)}
    frozen = [name for name in LITE0_BLOCKS if name not in unfrozen]
    inputs = keras.Input(model.input_shape[1:])
    outputs = keras.Model(base.inputs, [base.get_layer(name).output for name in frozen])(preprocess(inputs))
    return source, [(name.split("_")[0], keras.Model(inputs, output)) for name, output in zip(frozen, outputs)]


def compute(run_dir: str | Path, filters: int = 16, tile: int = 64, seed: int = 0) -> dict:
    """Patterns of the first `filters` filters of each chosen layer, written into the run dir;
    returns the JSON index."""
    from PIL import Image

    run_dir = Path(run_dir)
    source, chosen = feature_models(run_dir)
    shape = tuple(chosen[0][1].input_shape[1:])
    sheet = Image.new("RGB", (filters * (tile + GAP) - GAP, len(chosen) * (tile + GAP) - GAP), "white")
    onnx_file = run_dir / "model.onnx"
    index = {"seed": seed, "steps": STEPS, "step_size": STEP_SIZE, "tile": tile, "gap": GAP, "weights": source,
             "model_sha256": sha256_file(onnx_file) if onnx_file.is_file() else None, "layers": []}
    for row, (name, feature_model) in enumerate(chosen):
        chosen_filters = list(range(min(filters, feature_model.output_shape[-1])))
        seeds = [seed + 1000 * row + k for k in chosen_filters]
        for k, pixels in zip(chosen_filters, patterns(feature_model, chosen_filters, shape, seeds)):
            sheet.paste(_tile(pixels, tile), (k * (tile + GAP), row * (tile + GAP)))
        index["layers"].append({"name": name, "filters": chosen_filters})
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    atomic_write_bytes(run_dir / PATTERNS_PNG, buffer.getvalue())
    atomic_write_json(run_dir / PATTERNS_JSON, index)
    return index
