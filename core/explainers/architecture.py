"""The arithmetic behind `model.summary()`: where each 'Param #' comes from, how the spatial
size shrinks, and why the book's `model_no_max_pool` would be a bad idea (section 5.1.2).

The formulas are plain functions of layer configs. The summaries of the real Keras models are
data, built once by `python -m core summaries` (core.explainers.summaries, the only place that
imports Keras for them) into architecture_summaries.json beside this module: the page reads
that file instead of importing Keras.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from core import recipes

BOOK_DENSE_ON_TOP = 512  # 5.1.2: "a Dense layer of size 512 on top" of model_no_max_pool
SUMMARIES = Path(__file__).with_name("architecture_summaries.json")


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


# --- the summaries, built once from the real models ----------------------------------------


def key(recipe_id: str, base: str | None = None) -> str:
    """A summary's name in the data file: the recipe, and the base a pretrained one stands on."""
    base = recipes.get(recipe_id).base_for(base)
    return f"{recipe_id}/{base}" if base else recipe_id


@functools.cache
def _summaries() -> dict:
    return json.loads(SUMMARIES.read_text())


def summary(recipe_id: str, base: str | None = None) -> dict:
    """Everything the architecture page shows for a recipe (core.explainers.summaries.summary,
    read from the data file). Treat it as read-only: every caller shares it."""
    return _summaries()["summaries"][key(recipe_id, base)]


def pooling_comparison() -> dict:
    """The MNIST convolution base with pooling and without (the book's model_no_max_pool):
    core.explainers.summaries.pooling_comparison, read from the data file."""
    return _summaries()["pooling_comparison"]


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
