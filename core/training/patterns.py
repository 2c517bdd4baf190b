"""Filter patterns (book section 5.4.2, Listings 5.32-5.38): for each chosen layer, the input
that maximises each of its first filters, by gradient ascent from a grey noisy image (40 steps,
the gradient normalised by its RMS), computed once with TensorFlow and stored in the run dir as
one PNG (a row of tiles per layer) and a JSON index that records the seed, so the page shows
them at once and a rerun gives the same pictures.

Which Keras model: the run's model.keras where it kept one. The shipped models keep only
model.onnx, so a from-scratch or MNIST model is rebuilt from its recipe with the weights read
back from the ONNX initialisers (checked against onnxruntime before use), and a pretrained
model's patterns are those of its base's blocks that every pretrained recipe keeps frozen (the
ImageNet weights as shipped: fine-tuning unfreezes only stage 7 and the top)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from core.artifacts.files import atomic_write_bytes, atomic_write_json
from core.artifacts.shipped import PATTERNS_JSON, PATTERNS_PNG  # in the run dir; core.explainers.inside reads them

LITE0_BLOCKS = ("stem_activation", "block2b_add", "block4c_add", "block6d_add")  # frozen in every recipe
STEPS, STEP_SIZE = 40, 1.0  # Listing 5.35: 40 steps of gradient ascent, step 1
GAP = 2  # pixels of white between tiles


def _deprocess(x: np.ndarray) -> np.ndarray:
    """Listing 5.34: centre, scale to std 0.1 around 0.5, clip, to 0-255 RGB."""
    x = (x - x.mean()) / (x.std() + 1e-5) * 0.1 + 0.5
    x = np.clip(x, 0, 1) * 255
    return np.repeat(x, 3, axis=-1) if x.shape[-1] == 1 else x


def pattern(feature_model, index: int, shape: tuple, seed: int) -> np.ndarray:
    """Listing 5.35's generate_pattern: the input (raw 0-255 pixels) that maximises filter
    `index` of the model's output, from grey noise drawn from `seed`."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    image = tf.Variable(rng.random((1, *shape)).astype("float32") * 20 + 128)
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(feature_model(image, training=False)[..., index])
        grads = tape.gradient(loss, image)
        grads /= tf.sqrt(tf.reduce_mean(tf.square(grads))) + 1e-5
        image.assign_add(grads * STEP_SIZE)
    return _deprocess(image.numpy()[0])


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
        recipe = recipes.get(card.recipe)
        model, source = (models.build(recipe, card.base), "imagenet") if recipe.pretrained else \
            (_from_onnx(run_dir, recipe), "model.onnx")
    convs = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    if convs:
        return source, [(name, keras.Model(model.inputs, model.get_layer(name).output)) for name in convs]
    base = models.conv_base_of(model)
    if base.name != "efficientnet_lite0":
        raise ValueError(f"{run_dir}: filter patterns of the {base.name} base are not computed here")
    preprocess = models.feature_extractor(model).layers[0]
    unfrozen = {layer.name for layer in bases.fine_tune_layers("efficientnet_lite0", base)}
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
    index = {"seed": seed, "steps": STEPS, "step_size": STEP_SIZE, "tile": tile, "gap": GAP, "weights": source,
             "layers": []}
    for row, (name, feature_model) in enumerate(chosen):
        count = min(filters, feature_model.output_shape[-1])
        for k in range(count):
            picture = _tile(pattern(feature_model, k, shape, seed + 1000 * row + k), tile)
            sheet.paste(picture, (k * (tile + GAP), row * (tile + GAP)))
        index["layers"].append({"name": name, "filters": list(range(count))})
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    atomic_write_bytes(run_dir / PATTERNS_PNG, buffer.getvalue())
    atomic_write_json(run_dir / PATTERNS_JSON, index)
    return index
