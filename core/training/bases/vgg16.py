"""VGG16, the book's pretrained base (Listing 5.16), through keras.applications."""
from __future__ import annotations

import os

from core.reasons import Code, Reason
from core.training.bases import PREPROCESS_SUFFIX

WEIGHTS_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"

HOW_TO_GET_WEIGHTS = (
    "VGG16's ImageNet weights could not be loaded ({error}). They are downloaded by Keras on "
    "first use, which needs the internet. Either run once on a machine that has it, or place "
    f"the file {WEIGHTS_FILE} in {{cache}} (Keras' cache). Offline, use "
    "`--base efficientnet_lite0`, whose weights ship with this project."
)


class VGG16WeightsUnavailable(RuntimeError):
    """Raised, fast and with instructions, when the ImageNet weights cannot be had."""


def weights_file() -> str:
    """Keras' cache, where keras.applications.VGG16 downloads its weights on first use."""
    return os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")), "models", WEIGHTS_FILE)


def build(input_shape=(150, 150, 3), weights: bool = True):
    import keras

    if weights:
        cache = os.path.dirname(weights_file())
        try:
            return keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=input_shape)
        except Exception as error:  # no network, proxy, truncated download...
            raise VGG16WeightsUnavailable(Reason(Code.WEIGHTS_UNAVAILABLE, HOW_TO_GET_WEIGHTS.format(
                error=error, cache=cache), base="VGG16", file=WEIGHTS_FILE, cache=cache)) from error
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=input_shape)


def preprocessing():
    """keras.applications.vgg16.preprocess_input as a layer: RGB->BGR, ImageNet means off."""
    from core.training.layers import CaffePreprocess

    return CaffePreprocess(name=f"vgg16{PREPROCESS_SUFFIX}")


def fine_tune_layers(base, blocks: int = 1) -> list:
    """The last `blocks` of VGG16's five blocks (the book: 1, block5)."""
    return [layer for layer in base.layers if layer.name.startswith(tuple(f"block{b}_" for b in range(6 - blocks, 6)))]
