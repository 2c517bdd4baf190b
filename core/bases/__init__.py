"""Pretrained convolutional bases, by name: one registry the models and the CLI read.

A base is a headless Keras model taking *preprocessed* pixels; `preprocessing(name)` returns
the layer that turns raw 0-255 RGB into what the base expects, so the exported ONNX graph
takes raw pixels (the ONNX contract).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class BaseInfo:
    name: str
    head_pooling: str  # "flatten" (the book's head) or "avg" (keeps the head small)


BASES: dict[str, BaseInfo] = {
    "vgg16": BaseInfo("vgg16", head_pooling="flatten"),  # the book's base; weights download once
    "efficientnet_lite0": BaseInfo("efficientnet_lite0", head_pooling="avg"),  # ImageNet weights ship here
}


def info(name: str) -> BaseInfo:
    try:
        return BASES[name]
    except KeyError:
        raise KeyError(f"unknown base {name!r}; choose one of: {', '.join(BASES)}") from None


def _module(name: str):
    """The module that implements a base (imported lazily: it imports Keras)."""
    info(name)
    return importlib.import_module(f"core.bases.{name}")


def load(name: str, input_shape=(150, 150, 3), weights: bool = True):
    """The headless base as a Keras model (weights=False: random init, for tests)."""
    return _module(name).build(input_shape=input_shape, weights=weights)


def preprocessing(name: str):
    """The layer mapping raw 0-255 RGB to the base's input scale (inside the exported graph)."""
    return _module(name).preprocessing()


def fine_tune_layers(name: str, base) -> list:
    """The layers of `base` that fine-tuning unfreezes (Listing 5.22: VGG16's block5)."""
    return _module(name).fine_tune_layers(base)
