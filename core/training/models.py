"""Keras builders for every recipe. Each takes raw 0-255 pixels: scaling and the base's
preprocessing are layers inside the model, so the exported ONNX graph needs nothing else."""
from __future__ import annotations

import re

from core.recipes import BASES, Recipe
from core.training import bases

INPUT_NAME = "pixels"  # the ONNX input name (contract)
CLASSIFIER = "classifier"  # the head on a pretrained base: trained alone on precomputed features (L5.17)


def build(recipe: Recipe, base: str | None = None, base_weights: bool = True):
    """The recipe's model, ready to compile. `base` only matters for pretrained recipes."""
    if recipe.pretrained:
        return _pretrained(recipe, recipe.base_for(base), base_weights)
    return _scratch(recipe)


def _scratch(recipe: Recipe):
    """Listing 5.1-5.2 (MNIST) and 5.5 / 5.13 (cats vs dogs, dropout before the Dense)."""
    import keras
    from keras import layers

    inputs = keras.Input(recipe.input_shape, name=INPUT_NAME)
    x = layers.Rescaling(1.0 / 255, name="rescale")(inputs)  # the book's rescale=1./255
    last = len(recipe.conv_filters) - 1
    for i, filters in enumerate(recipe.conv_filters):
        x = layers.Conv2D(filters, 3, activation="relu", name=f"conv{i + 1}")(x)
        if recipe.pool_last_conv or i < last:
            x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    x = layers.Flatten(name="flatten")(x)
    if recipe.dropout:
        x = layers.Dropout(recipe.dropout, name="dropout")(x)  # L5.13
    x = layers.Dense(recipe.dense_units, activation="relu", name="dense")(x)
    return keras.Model(inputs, _output_layer(recipe)(x), name=recipe.id)


def _output_layer(recipe: Recipe):
    """What the data set's classes call for: one sigmoid unit, the probability of the second
    class (e.g. dog_probability), or a softmax over every class; float32 under a mixed
    precision policy too (the loss and the exported output stay float32)."""
    from keras import layers

    data = recipe.data
    if data.output == "sigmoid":  # a user's class may be "sunny day ☀️" or "a/b": Keras names allow neither
        name = re.sub(r"\W+", "_", data.display_names["en"][1].lower()).strip("_") or "second_class"
        return layers.Dense(1, activation="sigmoid", name=f"{name}_probability", dtype="float32")
    return layers.Dense(len(data.classes), activation="softmax", name="probabilities", dtype="float32")


def head(recipe: Recipe, base: str, feature_shape, pooling: str | None = None):
    """The densely connected classifier on the base's features (L5.18 / L5.20); `pooling`
    ("flatten" or "avg") overrides the base's choice, to measure what it costs."""
    import keras
    from keras import layers

    features = keras.Input(feature_shape, name="features")
    pooling = pooling or BASES[base].head_pooling
    x = layers.Flatten(name="flatten")(features) if pooling == "flatten" else \
        layers.GlobalAveragePooling2D(name="avg_pool")(features)
    x = layers.Dense(recipe.dense_units, activation="relu", name="dense")(x)
    if recipe.dropout:
        x = layers.Dropout(recipe.dropout, name="dropout")(x)  # L5.18
    return keras.Model(features, _output_layer(recipe)(x), name=CLASSIFIER)


def _pretrained(recipe: Recipe, base: str, base_weights: bool):
    """Listing 5.20: the conv base, frozen, inside the model (trainable weights 30 -> 4)."""
    import keras

    conv_base = bases.load(base, recipe.input_shape, weights=base_weights)
    conv_base.trainable = False
    inputs = keras.Input(recipe.input_shape, name=INPUT_NAME)
    x = bases.preprocessing(base)(inputs)
    x = conv_base(x)
    outputs = head(recipe, base, conv_base.output_shape[1:])(x)
    return keras.Model(inputs, outputs, name=recipe.id)


def feature_extractor(model):
    """Listing 5.17's extract_features as a model: raw pixels -> the frozen base's feature
    maps, sharing the layers (and weights) of a pretrained recipe's model."""
    import keras

    preprocess = next(layer for layer in model.layers if layer.name.endswith(bases.PREPROCESS_SUFFIX))
    return keras.Sequential([preprocess, conv_base_of(model)])


def conv_base_of(model):
    """The nested conv base of a pretrained model (the layer that is itself a Model, not the head)."""
    import keras

    return next(layer for layer in model.layers if isinstance(layer, keras.Model) and layer.name != CLASSIFIER)


def unfreeze_top(model, base: str, blocks: int = 1) -> list[str]:
    """Listing 5.22: make the top of the base (its last `blocks` blocks) trainable; everything
    below stays frozen."""
    conv_base = conv_base_of(model)
    conv_base.trainable = True
    chosen = {layer.name for layer in bases.fine_tune_layers(base, conv_base, blocks)}
    for layer in conv_base.layers:
        layer.trainable = layer.name in chosen
    return sorted(chosen)


def summary_rows(model) -> list[dict]:
    """The book's summary table (layer, output shape, params), nested models expanded once."""
    import keras

    rows = []
    for layer in model.layers:
        if isinstance(layer.output, list):
            continue
        shape = tuple(layer.output.shape)
        rows.append({
            "layer": layer.name,
            "type": layer.__class__.__name__,
            "output_shape": [None if d is None else int(d) for d in shape],
            "params": int(layer.count_params()) if layer.built else 0,
            "trainable": bool(layer.trainable),
            "nested": isinstance(layer, keras.Model),
        })
    return rows
