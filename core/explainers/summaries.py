"""The real Keras models read into plain data: every recipe's `model.summary()` (per base) and
model_no_max_pool, which `python -m core summaries` writes to architecture_summaries.json.

The one explainer that imports Keras (lazily), and only to generate that file: the architecture
page reads the file, because building the models at page time costs a Keras import (15 s on a
busy 2-core machine). A test rebuilds the file's contents from the models, so they cannot drift.
"""
from __future__ import annotations

import math

from core import recipes
from core.explainers import mechanics
from core.explainers.architecture import BOOK_DENSE_ON_TOP, dense_formula, flatten_formula, key, layer_formula


def describe(model) -> list[dict]:
    """core.training.models.summary_rows plus a 'formula' per layer, from the layer's config."""
    from core.training.models import summary_rows

    rows = summary_rows(model)
    for row in rows:
        layer = model.get_layer(row["layer"])
        weighted = row["params"] > 0 and not row["nested"]
        row["formula"] = layer_formula(row["type"], layer.get_config(), tuple(layer.input.shape)) \
            if weighted else ""
    return rows


def layer_stack(model) -> list[tuple[str, int, int]]:
    """(kind, window, stride) of every convolution and pooling, in order, nested models included:
    what mechanics.receptive_field needs."""
    kinds = {"Conv2D": "conv", "DepthwiseConv2D": "conv", "MaxPooling2D": "pool",
             "AveragePooling2D": "pool"}
    stack = []
    for layer in model.layers:
        if hasattr(layer, "layers"):  # a nested model (a pretrained base)
            stack += layer_stack(layer)
        elif layer.__class__.__name__ in kinds:
            config = layer.get_config()
            window = config.get("kernel_size", config.get("pool_size"))
            stack.append((kinds[layer.__class__.__name__], int(window[0]), int(config["strides"][0])))
    return stack


def summary(recipe_id: str, base: str | None = None) -> dict:
    """Everything the architecture page shows for a recipe, as plain data.

    rows: the book's table; nested: the rows inside each nested model (a pretrained base, the
    classifier head); trainable: parameters training updates (fine-tuning: with the top of the
    base unfrozen); receptive_field: the input square one cell of the last feature map sees.
    """
    import keras

    from core.training.models import build, unfreeze_top

    keras.backend.clear_session()  # Keras numbers unnamed layers per session ("input_layer_1")
    recipe = recipes.get(recipe_id)
    base = recipe.base_for(base)
    model = build(recipe, base, base_weights=False)
    if recipe.unfreeze_top:  # fine-tuning: count what the second phase trains
        unfreeze_top(model, base, recipe.unfreeze_blocks)
    rows = describe(model)
    nested = {row["layer"]: describe(model.get_layer(row["layer"])) for row in rows if row["nested"]}
    return {
        "rows": rows,
        "nested": nested,
        "total": sum(row["params"] for row in rows),
        "trainable": int(sum(math.prod(weight.shape) for weight in model.trainable_weights)),
        "receptive_field": mechanics.receptive_field(layer_stack(model)),
    }


def no_max_pool_model(recipe_id: str = "mnist"):
    """The book's model_no_max_pool: the recipe's 3x3 convolutions with the pooling removed."""
    import keras
    from keras import layers

    recipe = recipes.get(recipe_id)
    model = keras.Sequential(name="model_no_max_pool")
    model.add(keras.Input(recipe.input_shape))
    for i, filters in enumerate(recipe.conv_filters):
        model.add(layers.Conv2D(filters, 3, activation="relu", name=f"conv{i + 1}"))
    return model


def dense_on_top(model, units: int = BOOK_DENSE_ON_TOP) -> dict:
    """What flattening the last feature map into a Dense(units) would cost, and what one cell
    of that map sees. The book's point: without pooling, 7x7 pixels and 15.8 M parameters."""
    rows = describe(model)
    shape = rows[-1]["output_shape"][1:]
    coefficients = math.prod(shape)
    return {
        "rows": rows,
        "shape": shape,
        "receptive_field": mechanics.receptive_field(layer_stack(model)),
        "coefficients": coefficients,
        "flatten_formula": flatten_formula(shape),
        "dense_params": coefficients * units + units,
        "dense_formula": dense_formula(coefficients, units),
    }


def pooling_comparison(recipe_id: str = "mnist", units: int = BOOK_DENSE_ON_TOP) -> dict:
    """dense_on_top for the recipe's convolution base with pooling and without (plain data)."""
    import keras

    from core.training.models import build

    keras.backend.clear_session()
    model = build(recipes.get(recipe_id), base_weights=False)
    last_conv = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"][-1]
    convolution_base = keras.Model(model.inputs, last_conv.output, name=f"{recipe_id}_base")
    return {
        "with_pooling": dense_on_top(convolution_base, units),
        "without_pooling": dense_on_top(no_max_pool_model(recipe_id), units),
    }


def build_all() -> dict:
    """The contents of architecture_summaries.json: every recipe with every base it can take,
    and the book's model_no_max_pool beside the MNIST convolution base."""
    summaries = {}
    for recipe_id, recipe in recipes.RECIPES.items():
        for base in recipes.BASES if recipe.pretrained else (None,):
            summaries[key(recipe_id, base)] = summary(recipe_id, base)
    return {
        "generated_by": "python -m core summaries (from the Keras models of core.training.models)",
        "summaries": summaries,
        "pooling_comparison": pooling_comparison("mnist"),
    }
