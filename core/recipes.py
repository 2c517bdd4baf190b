"""The chapter's configurations as data: the one place every other module reads.

Each recipe names the book listings it realises (first edition of *Deep Learning with
Python*, chapter 5). Builders, trainers, pages and tests look recipes up here by id.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from core import datasets


@dataclass(frozen=True)
class Base:
    """A pretrained convolutional base, by name (its Keras code lives in core.training.bases)."""

    name: str
    head_pooling: str  # "flatten" (the book's head) or "avg" (keeps the head small)


BASES: dict[str, Base] = {
    "vgg16": Base("vgg16", head_pooling="flatten"),  # the book's base; weights download once
    "efficientnet_lite0": Base("efficientnet_lite0", head_pooling="avg"),  # ImageNet weights ship here
}
DEFAULT_BASE = "efficientnet_lite0"  # the base whose weights these offline machines have, and the shipped models'


@dataclass(frozen=True)
class Augmentation:
    """The book's ImageDataGenerator arguments (Listing 5.11), kept in the book's units."""

    rotation_range: float = 40.0  # degrees, both ways
    width_shift_range: float = 0.2  # fraction of width
    height_shift_range: float = 0.2  # fraction of height
    shear_range: float = 0.2  # degrees (Keras' ImageDataGenerator unit)
    zoom_range: float = 0.2  # zoom in [1-z, 1+z]
    horizontal_flip: bool = True
    fill_mode: str = "nearest"


BOOK_AUGMENTATION = Augmentation()


@dataclass(frozen=True)
class Recipe:
    id: str
    title: str
    listings: str  # the book's listing numbers this recipe realises
    dataset: str  # an id in core.datasets.DATASETS
    optimizer: str
    learning_rate: float | None  # None: the optimiser's Keras default
    epochs: int
    batch_size: int
    passes_per_epoch: float = 1.0  # fit_generator's steps_per_epoch x batch_size / training images
    conv_filters: tuple[int, ...] = ()  # from-scratch conv stack (3x3, relu, each + MaxPool 2x2)
    pool_last_conv: bool = True  # L5.1 (MNIST) ends its conv stack without pooling
    dense_units: int = 0
    dropout: float = 0.0  # before the last Dense (scratch) or after the Dense (pretrained head)
    augmentation: Augmentation | None = None
    pretrained: bool = False  # uses a pretrained conv base from core.training.bases
    precompute_features: bool = False  # L5.17: run the frozen base once, train the head on features
    starts_from: str | None = None  # recipe whose trained weights this one continues
    unfreeze_top: bool = False  # fine-tuning (L5.22): the base's last block becomes trainable
    unfreeze_blocks: int = 1  # ... or its last N (VGG16: blocks; Lite0: stages), where a data set's tuning says
    book_test_accuracy: float | None = None  # the first-edition notebooks' printed number

    def base_for(self, base: str | None = None) -> str | None:
        """The base this recipe trains with: the one asked for, else the default; None from scratch."""
        if not self.pretrained:
            return None
        base = base or DEFAULT_BASE
        if base not in BASES:
            raise KeyError(f"unknown base {base!r}; choose one of: {', '.join(BASES)}")
        return base

    @property
    def data(self) -> datasets.Dataset:
        return datasets.get(self.dataset)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """The model's input (height, width, channels): its data set's images."""
        return (*self.data.image_size, self.data.channels)

    @property
    def classes(self) -> int:
        return len(self.data.classes)

    def steps_per_epoch(self, train_size: int) -> int:
        """Batches per epoch: the book's fit_generator steps_per_epoch on its 2,000 images."""
        return math.ceil(self.passes_per_epoch * train_size / self.batch_size)

    @property
    def loss(self) -> str:
        """Binary cross-entropy on one sigmoid unit, or sparse categorical on a softmax."""
        return "binary_crossentropy" if self.data.output == "sigmoid" else "sparse_categorical_crossentropy"


RECIPES: dict[str, Recipe] = {
    r.id: r
    for r in (
        Recipe(  # Listings 5.1-5.3
            id="mnist",
            title="MNIST convnet",
            listings="5.1-5.3",
            dataset="mnist",
            conv_filters=(32, 64, 64),
            pool_last_conv=False,  # L5.1: the last conv has no pooling after it
            dense_units=64,  # L5.2
            optimizer="rmsprop",
            learning_rate=None,
            epochs=5,  # L5.3
            batch_size=64,
            book_test_accuracy=0.9913,
        ),
        Recipe(  # Listings 5.5-5.8
            id="scratch",
            title="Small convnet from scratch",
            listings="5.5-5.8",
            dataset="cats_and_dogs",
            conv_filters=(32, 64, 128, 128),
            dense_units=512,
            optimizer="rmsprop",
            learning_rate=1e-4,
            epochs=30,
            batch_size=20,
            book_test_accuracy=0.71,  # the notebook's last val accuracy (~0.71); no test run printed
        ),
        Recipe(  # Listings 5.11-5.14
            id="scratch_augmented",
            title="From scratch + augmentation + dropout",
            listings="5.11-5.14",
            dataset="cats_and_dogs",
            conv_filters=(32, 64, 128, 128),
            dense_units=512,
            dropout=0.5,  # L5.13
            augmentation=BOOK_AUGMENTATION,  # L5.11
            optimizer="rmsprop",
            learning_rate=1e-4,
            epochs=100,  # L5.14
            batch_size=32,
            passes_per_epoch=1.6,  # L5.14: steps_per_epoch=100 batches of 32 over 2,000 images
            book_test_accuracy=0.82,
        ),
        Recipe(  # Listings 5.16-5.19
            id="feature_extraction",
            title="Feature extraction (features computed once)",
            listings="5.16-5.19",
            dataset="cats_and_dogs",
            pretrained=True,
            precompute_features=True,  # L5.17
            dense_units=256,  # L5.18
            dropout=0.5,
            optimizer="rmsprop",
            learning_rate=2e-5,
            epochs=30,
            batch_size=20,
            book_test_accuracy=0.90,
        ),
        Recipe(  # Listings 5.20-5.21
            id="feature_extraction_augmented",
            title="Feature extraction + augmentation (frozen base inside the model)",
            listings="5.20-5.21",
            dataset="cats_and_dogs",
            pretrained=True,
            dense_units=256,
            augmentation=BOOK_AUGMENTATION,
            optimizer="rmsprop",
            learning_rate=2e-5,
            epochs=30,
            batch_size=20,
            book_test_accuracy=0.96,
        ),
        Recipe(  # Listings 5.22-5.23
            id="fine_tuning",
            title="Fine-tuning the top of the base",
            listings="5.22-5.23",
            dataset="cats_and_dogs",
            pretrained=True,
            dense_units=256,
            augmentation=BOOK_AUGMENTATION,
            starts_from="feature_extraction_augmented",
            unfreeze_top=True,  # L5.22: the base's last block (VGG16: block5_conv1..3)
            optimizer="rmsprop",
            learning_rate=1e-5,
            epochs=100,
            batch_size=20,
            book_test_accuracy=0.968,
        ),
    )
}

RECIPE_IDS: tuple[str, ...] = tuple(RECIPES)
CAT_DOG_IDS: tuple[str, ...] = tuple(r for r in RECIPE_IDS if RECIPES[r].dataset == "cats_and_dogs")


def get(recipe_id: str) -> Recipe:
    """Look a recipe up by id, with a message that lists the valid ids."""
    try:
        return RECIPES[recipe_id]
    except KeyError:
        raise KeyError(f"unknown recipe {recipe_id!r}; choose one of: {', '.join(RECIPE_IDS)}") from None


@dataclass(frozen=True)
class Tuning:
    """A recipe's learning rate and epochs on one labelled data set, where the book's (tuned for
    two classes of 2,000 photos) do not fit; chosen on that data set's validation split only."""

    learning_rate: float
    epochs: int
    chosen_by: str  # how: the command that measured it on the validation split, and what it saw
    unfreeze_blocks: int | None = None  # fine-tuning: how many of the base's top blocks train (None: the book's one)


TUNINGS: dict[tuple[str, str], Tuning] = {  # (data set id, recipe id) -> Tuning
    ("ccsn", "feature_extraction"): Tuning(
        1e-4, 30, "the learning rate with the best validation accuracy after the book's 30 epochs in "
                  "bench/ccsn_tuning.py's sweep (bench/results/ccsn_tuning.json)"),
    ("ccsn", "feature_extraction_augmented"): Tuning(
        1e-4, 30, "feature_extraction's chosen rate: the same head on the same base's features, here of augmented "
                  "photos; the book's 30 epochs"),
    ("ccsn", "fine_tuning"): Tuning(
        1e-5, 60, "the setting with the best mean validation accuracy over its last 10 epochs in "
                  "bench/ccsn_fine_tuning.py's sweep (30 epochs at 1e-4 or 3e-5 with Lite0's last stage unfrozen, "
                  "at 3e-5 with its last two; 60 at the book's 1e-5 with its last two; "
                  "bench/results/ccsn_fine_tuning.json); continues a feature_extraction run on the same "
                  "data (--from), whose head is trained already", unfreeze_blocks=2),
    ("ccsn", "scratch_augmented"): Tuning(
        1e-4, 20, "not tuned: the book's learning rate; 20 epochs planned for CPU time"),
}


def on_data(recipe: Recipe, dataset_id: str) -> Recipe:
    """The recipe trained on another data set: its classes and, where tuned, its learning rate
    and epochs (steps per epoch follow that data's size through passes_per_epoch)."""
    tuning = TUNINGS.get((dataset_id, recipe.id))
    changes = {"learning_rate": tuning.learning_rate, "epochs": tuning.epochs} if tuning else {}
    if tuning and tuning.unfreeze_blocks:
        changes["unfreeze_blocks"] = tuning.unfreeze_blocks
    return replace(recipe, dataset=dataset_id, **changes)


def on_own_data(recipe_id: str, dataset_id: str | None) -> bool:
    """Whether a model of this recipe learned from the recipe's own data set (None: a card too old
    to say, which is the chapter's): only such a model stands beside the book's number."""
    return dataset_id in (None, get(recipe_id).dataset)


def with_epochs(recipe: Recipe, epochs: int) -> Recipe:
    """A copy of a recipe with another epoch count (recorded in the run's card)."""
    if epochs < 1:
        raise ValueError("epochs must be at least 1")
    return replace(recipe, epochs=epochs)
