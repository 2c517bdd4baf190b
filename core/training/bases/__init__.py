"""Pretrained convolutional bases, by name (core.recipes.BASES lists them): the Keras code.

A base is a headless Keras model taking *preprocessed* pixels; `preprocessing(name)` returns
the layer that turns raw 0-255 RGB into what the base expects, so the exported ONNX graph
takes raw pixels (the ONNX contract).
"""
from __future__ import annotations

import importlib
import os

from core.recipes import BASES

PREPROCESS_SUFFIX = "_preprocess"  # the preprocessing layer is named <base>_preprocess (models finds it so)


def _module(name: str):
    """The module that implements a base (imported lazily: it imports Keras)."""
    if name not in BASES:
        raise KeyError(f"unknown base {name!r}; choose one of: {', '.join(BASES)}")
    return importlib.import_module(f"core.training.bases.{name}")


def load(name: str, input_shape=(150, 150, 3), weights: bool = True):
    """The headless base as a Keras model (weights=False: random init, for tests)."""
    return _module(name).build(input_shape=input_shape, weights=weights)


def missing_weights(name: str) -> str | None:
    """Where the base's ImageNet weights belong when they are not on this machine (a run would
    download them first, which needs the internet: the Train page says so); None when here."""
    path = _module(name).weights_file()
    return None if os.path.isfile(path) else path


def preprocessing(name: str):
    """The layer mapping raw 0-255 RGB to the base's input scale (inside the exported graph)."""
    return _module(name).preprocessing()


def fine_tune_layers(name: str, base, blocks: int = 1) -> list:
    """The layers of `base` that fine-tuning unfreezes: its last `blocks` blocks (Listing 5.22:
    one, VGG16's block5)."""
    return _module(name).fine_tune_layers(base, blocks)
