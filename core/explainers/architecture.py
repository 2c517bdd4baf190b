"""The arithmetic behind `model.summary()`: where each 'Param #' comes from, how the spatial
size shrinks, and why the book's `model_no_max_pool` would be a bad idea (section 5.1.2).

The formulas are plain functions of layer configs; `summary()` reads them off the real Keras
models of core.training.models (Keras is imported lazily, only there and in `no_max_pool_model`).
"""
from __future__ import annotations

import math

from core.explainers import mechanics

BOOK_DENSE_ON_TOP = 512  # 5.1.2: "a Dense layer of size 512 on top" of model_no_max_pool


def _product(factors) -> str:
    return "·".join(f"{int(f):,}" for f in factors)


def conv_formula(kernel, in_channels: int, filters: int, bias: bool = True) -> str:
    """'3·3·32·64 + 64 = 18,496': one kh x kw x Cin weight block per filter, plus a bias each."""
    weights = kernel[0] * kernel[1] * in_channels * filters
    text = _product((*kernel, in_channels, filters))
    return f"{text} + {filters} = {weights + filters:,}" if bias else f"{text} = {weights:,}"


def depthwise_formula(kernel, channels: int, multiplier: int = 1, bias: bool = True) -> str:
    """Depthwise convolution: one kh x kw filter per input channel (EfficientNet's blocks)."""
    outputs = channels * multiplier
    factors = (*kernel, channels) if multiplier == 1 else (*kernel, channels, multiplier)
    weights = kernel[0] * kernel[1] * outputs
    text = _product(factors)
    return f"{text} + {outputs} = {weights + outputs:,}" if bias else f"{text} = {weights:,}"


def dense_formula(inputs: int, units: int, bias: bool = True) -> str:
    """'576·64 + 64 = 36,928': every input connects to every unit, plus a bias per unit."""
    weights = inputs * units
    text = _product((inputs, units))
    return f"{text} + {units} = {weights + units:,}" if bias else f"{text} = {weights:,}"


def batch_norm_formula(channels: int, center: bool = True, scale: bool = True) -> str:
    """Per channel: γ and β (learned, if used) and the moving mean and variance (not learned)."""
    per_channel = 2 + int(center) + int(scale)
    return f"{per_channel}·{channels} = {per_channel * channels:,}"


def layer_formula(layer_type: str, config: dict, input_shape) -> str:
    """The formula for one layer from its Keras config and input shape; '' for weightless layers."""
    channels = int(input_shape[-1])
    bias = config.get("use_bias", True)
    if layer_type == "Conv2D":
        return conv_formula(tuple(config["kernel_size"]), channels, config["filters"], bias)
    if layer_type == "DepthwiseConv2D":
        return depthwise_formula(tuple(config["kernel_size"]), channels,
                                 config.get("depth_multiplier", 1), bias)
    if layer_type == "Dense":
        return dense_formula(channels, config["units"], bias)
    if layer_type == "BatchNormalization":
        return batch_norm_formula(channels, config.get("center", True), config.get("scale", True))
    return ""


def flatten_formula(shape) -> str:
    """'22·22·64 = 30,976': the coefficients a Flatten hands to the first Dense layer."""
    return f"{_product(shape)} = {math.prod(shape):,}"


# --- reading real models -------------------------------------------------------------------


def describe(model) -> list[dict]:
    """core.models.summary_rows plus a 'formula' per layer, computed from the layer's config."""
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
    what core.mechanics.receptive_field needs."""
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
    """Everything the architecture page shows for a recipe, as plain data (cacheable).

    rows: the book's table; nested: the rows inside each nested model (a pretrained base, the
    classifier head); trainable: parameters training updates (fine-tuning: with the top of the
    base unfrozen); receptive_field: the input square one cell of the last feature map sees.
    """
    from core.recipes import get
    from core.training.models import build, unfreeze_top

    recipe = get(recipe_id)
    base = recipe.base_for(base)
    model = build(recipe, base, base_weights=False)
    if recipe.unfreeze_top:  # fine-tuning: count what the second phase trains
        unfreeze_top(model, base)
    rows = describe(model)
    nested = {row["layer"]: describe(model.get_layer(row["layer"])) for row in rows if row["nested"]}
    return {
        "rows": rows,
        "nested": nested,
        "total": sum(row["params"] for row in rows),
        "trainable": sum(math.prod(weight.shape) for weight in model.trainable_weights),
        "receptive_field": mechanics.receptive_field(layer_stack(model)),
    }


def spatial_sizes(rows: list[dict], nested: dict[str, list[dict]] | None = None) -> list[dict]:
    """Layer by layer (nested models opened), the side of each feature map and its depth."""
    sizes = []
    for row in rows:
        inner = (nested or {}).get(row["layer"])
        if inner:
            sizes += spatial_sizes([r for r in inner if r["type"] != "InputLayer"])
        elif len(row["output_shape"]) == 4:
            _, height, width, depth = row["output_shape"]
            sizes.append({"layer": row["layer"], "height": height, "width": width, "depth": depth})
    return sizes


def size_changes(sizes: list[dict]) -> list[dict]:
    """Only the layers whose feature map differs from the one before: the staircase of a deep
    base (EfficientNet's 140 layers) without its flat steps."""
    return [size for i, size in enumerate(sizes)
            if i == 0 or (size["height"], size["depth"]) != (sizes[i - 1]["height"], sizes[i - 1]["depth"])]


# --- model_no_max_pool (section 5.1.2) -----------------------------------------------------


def no_max_pool_model(recipe_id: str = "mnist"):
    """The book's model_no_max_pool: the recipe's 3x3 convolutions with the pooling removed."""
    import keras
    from keras import layers

    from core.recipes import get

    recipe = get(recipe_id)
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

    from core.recipes import get
    from core.training.models import build

    model = build(get(recipe_id), base_weights=False)
    last_conv = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"][-1]
    convolution_base = keras.Model(model.inputs, last_conv.output, name=f"{recipe_id}_base")
    return {
        "with_pooling": dense_on_top(convolution_base, units),
        "without_pooling": dense_on_top(no_max_pool_model(recipe_id), units),
    }
