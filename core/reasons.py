"""Why something cannot be used or did not work, as data the pages can translate.

core/ explains its known failures in English for the CLI and the logs; a page in 繁體中文 must
not show that English. So each such sentence is a `Reason`: the English text itself (a str)
that also carries a `Code` and the parameters the page's own sentence needs
(`pages/strings/reasons.py` holds `reasons.<code>` in both languages).
"""
from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    # the chapter's data (core.data.folders)
    MNIST_MISSING = "mnist_missing"  # root, cache: where mnist.npz would be found
    CATS_DOGS_MISSING = "cats_dogs_missing"  # where: the folder looked for
    CATS_DOGS_LAYOUT = "cats_dogs_layout"  # folder, missing: e.g. "train/dogs, test/cats"
    CLASS_EMPTY = "class_empty"  # folder: a class folder without image files
    CLASS_UNREADABLE = "class_unreadable"  # folder: a class folder none of whose images decode
    IMAGES_SKIPPED = "images_skipped"  # count: unreadable images training skipped (a warning)
    # a user's labelled folder (core.data.labelled, core.data.manifest)
    NOT_A_FOLDER = "not_a_folder"  # folder: the path given is not a folder
    NAMES_FILE_INVALID = "names_file_invalid"  # file: classes.json that is not a name per class and language
    TOO_FEW_CLASSES = "too_few_classes"  # folder, count, classes: fewer than two class folders
    CLASSES_EMPTY = "classes_empty"  # folder, classes: class folders without image files
    CLASSES_UNREADABLE = "classes_unreadable"  # folder, classes: class folders none of whose images decode
    TOO_FEW_TO_SPLIT = "too_few_to_split"  # classes ("Ac (2 photos), ..."), needed: distinct photos per class
    # an uploaded zip of class folders (core.data.unpack)
    ZIP_DAMAGED = "zip_damaged"  # not a zip, or a member that cannot be read
    ZIP_TRAVERSAL = "zip_traversal"  # member: a path that leaves the archive
    ZIP_BOMB = "zip_bomb"  # member: over 50 MB, or inflating 100-fold
    ZIP_LINK = "zip_link"  # member: a symbolic link
    ZIP_TOO_BIG = "zip_too_big"  # limit: what it would exceed
    ZIP_NO_IMAGES = "zip_no_images"  # no images inside class folders
    DATASET_EXISTS = "dataset_exists"  # name: the data set folder already there (or the chapter's own)
    # run dirs and models (core.artifacts.rundir, core.serving.inference)
    CARD_MISSING = "card_missing"  # the run did not finish
    CARD_INVALID = "card_invalid"
    ONNX_MISSING = "onnx_missing"
    ONNX_EMPTY = "onnx_empty"
    ONNX_MISMATCH = "onnx_mismatch"  # model.onnx is not the file card.json describes
    HISTORY_INVALID = "history_invalid"
    ONNX_UNLOADABLE = "onnx_unloadable"
    ONNX_UNLABELLED = "onnx_unlabelled"  # command: the CLI line that labels it
    # uploaded data sets (core.quota)
    UPLOAD_TOO_LARGE = "upload_too_large"  # mb, limit: megabytes once unpacked and the quota
    UPLOAD_TOO_MANY_FILES = "upload_too_many_files"  # count, limit
    DATA_SETS_FULL = "data_sets_full"  # limit: uploaded data sets the server keeps
    DISK_FULL = "disk_full"  # free_mb, needed_mb: what the disk has left and what the write needs
    # inside the model (core.serving.explain): why Grad-CAM cannot be computed for a model
    EXPLAIN_NO_CONV = "explain_no_conv"
    EXPLAIN_UNSUPPORTED = "explain_unsupported"  # op: the ONNX op the gradient cannot pass
    # training (core.training)
    WEIGHTS_UNAVAILABLE = "weights_unavailable"  # base, file, cache
    NO_SOURCE = "no_source"  # parent: the recipe fine-tuning continues
    SOURCE_BASE = "source_base"  # source, expected: the base the source was trained with
    NO_CHECKPOINT = "no_checkpoint"  # --resume without state.json
    CANCELLED = "cancelled"
    OUT_OF_MEMORY = "out_of_memory"
    UNEXPECTED = "unexpected"  # type: the exception's class


class Reason(str):
    """An English sentence for the CLI and the logs that also carries `code` and `params`,
    so a page can say it in its own language. Being a str, it goes wherever the English went."""

    code: Code
    params: dict

    def __new__(cls, code: Code | str, text: str, **params):
        self = super().__new__(cls, text)
        self.code, self.params = Code(code), params
        return self

    def __reduce__(self):  # pickled by st.cache_data: keep the code and the params
        return _rebuild, (self.code.value, str(self), self.params)


def _rebuild(code: str, text: str, params: dict) -> Reason:
    return Reason(code, text, **params)


def reason_of(error: BaseException) -> Reason:
    """The Reason an exception was raised with (core raises its known failures with one as the
    message); any other exception is `unexpected`, named by its type."""
    message = error.args[0] if len(error.args) == 1 else None
    if isinstance(message, Reason):
        return message
    return Reason(Code.UNEXPECTED, f"{type(error).__name__}: {error}", type=type(error).__name__)
