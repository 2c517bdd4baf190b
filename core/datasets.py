"""The chapter's data sets as data, like the recipes: their classes and what to call them,
the images' size and colour, how they are split and where they are found.

A model's output layer and loss follow from its data set's classes (`Dataset.output`), never
from its name, and an exported model.onnx carries the same facts in its metadata
(`onnx_metadata`), so serving knows what each output means without guessing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

LANGUAGES = ("en", "zh-TW")  # the app's languages; every data set names its classes in each


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    classes: tuple[str, ...]  # folder names; label i is classes[i] (alphabetical, as flow_from_directory)
    display_names: dict[str, tuple[str, ...]]  # language -> one name per class
    image_size: tuple[int, int]  # (height, width) the models see
    grey: bool  # one channel, else RGB
    layout: str  # "keras_npz": x_train/y_train/x_test/y_test arrays; "folders": {train,validation,test}/<class>/;
    # "labelled": any folder of class folders, split by a leakage-free manifest
    path: str  # under the data root
    credit: str
    validation_from_train: int = 0  # keras_npz has no validation split: the last N training images are it

    def __post_init__(self):
        for language in LANGUAGES:
            if len(self.display_names.get(language, ())) != len(self.classes):
                raise ValueError(f"{self.id}: display_names[{language!r}] must name each of {self.classes}")

    @property
    def channels(self) -> int:
        return 1 if self.grey else 3

    @property
    def output(self) -> str:
        """'sigmoid': two classes, one unit, the probability of classes[1]; 'softmax': one unit per class."""
        return "sigmoid" if len(self.classes) == 2 else "softmax"


MNIST = Dataset(
    id="mnist",
    title="MNIST handwritten digits",
    classes=tuple(str(d) for d in range(10)),
    display_names={language: tuple(str(d) for d in range(10)) for language in LANGUAGES},
    image_size=(28, 28),
    grey=True,
    layout="keras_npz",  # keras.datasets.mnist's file: 60,000 training and 10,000 test digits
    path="mnist/mnist.npz",
    credit="MNIST by Yann LeCun and Corinna Cortes (commonly cited as CC BY-SA 3.0)",
    validation_from_train=5_000,  # the book's L5.3 validates on nothing; we hold out the last 5,000
)

CATS_DOGS = Dataset(
    id="cats_and_dogs",
    title="Cats vs dogs (the book's 2,000/1,000/1,000 split)",
    classes=("cats", "dogs"),
    display_names={"en": ("Cat", "Dog"), "zh-TW": ("貓", "狗")},
    image_size=(150, 150),  # the book's target_size; the photos themselves are larger
    grey=False,
    layout="folders",  # Listing 5.4's train/validation/test, each with cats/ and dogs/
    path="cats_and_dogs_small",
    credit="The Asirra/Petfinder photos of Kaggle's 2013 \"Dogs vs. Cats\" competition, for research and teaching",
)

DATASETS: dict[str, Dataset] = {d.id: d for d in (MNIST, CATS_DOGS)}
CHAPTER: tuple[str, ...] = tuple(DATASETS)  # the book's own data sets (user's folders are registered after)


def labelled(name: str, classes: tuple[str, ...], display_names: dict[str, tuple[str, ...]],
             image_size: tuple[int, int] = CATS_DOGS.image_size) -> Dataset:
    """A user's labelled folder (core.data.labelled) as a data set, named after the folder and
    split by a manifest (core.data.manifest); colour photos at the cats/dogs recipes' size."""
    if name in CHAPTER:
        raise ValueError(f"a folder named {name!r} would be mistaken for the chapter's data set: rename it")
    return Dataset(id=name, title=name, classes=tuple(classes), display_names=display_names, image_size=image_size,
                   grey=False, layout="labelled", path=name, credit="")


def register(dataset: Dataset) -> None:
    """Make a user's data set known by id in this process (the trainer does, before it builds)."""
    if dataset.id in CHAPTER:
        raise ValueError(f"{dataset.id!r} is one of the chapter's data sets")
    DATASETS[dataset.id] = dataset


def get(dataset_id: str) -> Dataset:
    """Look a data set up by id, with a message that lists the valid ids."""
    try:
        return DATASETS[dataset_id]
    except KeyError:
        raise KeyError(f"unknown dataset {dataset_id!r}; choose one of: {', '.join(DATASETS)}") from None


def onnx_metadata(dataset: Dataset, fingerprint: str) -> dict[str, str]:
    """The metadata_props an exported model.onnx carries, so that it says what its input wants
    and what its output means (serving reads them back; `fingerprint` names the data it saw)."""
    height, width = dataset.image_size
    return {
        "labels": json.dumps(list(dataset.classes)),
        "display_names": json.dumps({k: list(v) for k, v in dataset.display_names.items()}, ensure_ascii=False),
        "dataset": dataset.id,
        "data_fingerprint": fingerprint,
        "input": f"pixels: NHWC float32 raw 0-255 {'grey' if dataset.grey else 'RGB'} {height}x{width}",
        "output": dataset.output,
    }
