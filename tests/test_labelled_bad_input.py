"""A labelled folder that cannot be a data set says what to do, in both languages (a
core.reasons.Reason per fault, translated by pages/strings/reasons.py), and changes nothing on
disk; names with spaces, emoji or Chinese are accepted as they are."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.data.check import check
from core.data.folders import DataFolderError
from core.data.labelled import NAMES_FILE, scan
from core.data.manifest import split
from core.reasons import Code, reason_of
from pages.strings.reasons import STRINGS


def _photo(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.uniform(0, 255, (6, 6, 3)).astype(np.uint8)).resize((64, 64), Image.Resampling.BICUBIC)


def _make(root, layout: dict[str, int], seed: int = 0):
    root.mkdir(parents=True)
    for label, count in layout.items():
        (root / label).mkdir(parents=True)
        for i in range(count):
            _photo(seed + 1000 * len(label) + 37 * i + sum(map(ord, label))).save(root / label / f"{i}.png")
    return root


def _snapshot(root) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _said(error: BaseException, code: Code) -> None:
    """The error carries `code`, and its sentence formats in both languages with its params."""
    reason = reason_of(error)
    assert reason.code == code
    for language, strings in STRINGS.items():
        text = strings[f"reasons.{code}"].format(**reason.params)
        assert "{" not in text.replace('{"', "").replace("{{", ""), (language, text)


@pytest.mark.parametrize("layout, code", [
    ({"only": 3}, Code.TOO_FEW_CLASSES),
    ({}, Code.TOO_FEW_CLASSES),
    ({"a": 3, "b": 0}, Code.CLASSES_EMPTY),
])
def test_folders_that_are_no_data_set_are_translated_reasons(tmp_path, layout, code):
    root = _make(tmp_path / "data", layout)
    before = _snapshot(root)
    with pytest.raises(DataFolderError) as error:
        scan(root)
    _said(error.value, code)
    assert _snapshot(root) == before


def test_a_path_that_is_not_a_folder(tmp_path):
    with pytest.raises(DataFolderError) as error:
        scan(tmp_path / "nowhere")
    _said(error.value, Code.NOT_A_FOLDER)


def test_a_class_of_only_unreadable_files(tmp_path):
    root = _make(tmp_path / "data", {"good": 8, "other": 8})
    (root / "broken").mkdir()
    for i in range(4):
        (root / "broken" / f"{i}.jpg").write_bytes(b"not a jpeg at all")
    with pytest.raises(DataFolderError) as error:
        split(check(root))
    _said(error.value, Code.CLASSES_UNREADABLE)
    assert reason_of(error.value).params["classes"] == "broken"


def test_a_class_too_small_for_the_split(tmp_path):
    root = _make(tmp_path / "data", {"big": 8, "tiny": 2})
    with pytest.raises(DataFolderError, match=r"tiny \(2 images\)") as error:
        split(check(root))
    _said(error.value, Code.TOO_FEW_TO_SPLIT)


def test_a_damaged_names_file(tmp_path):
    root = _make(tmp_path / "data", {"a": 3, "b": 3})
    (root / NAMES_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFolderError) as error:
        scan(root)
    _said(error.value, Code.NAMES_FILE_INVALID)


def test_names_with_spaces_emoji_and_chinese_are_classes_as_they_are(tmp_path):
    root = _make(tmp_path / "data", {"sunny day ☀️": 8, "雨 rain": 8, "fog": 8})
    found = scan(root)
    assert found.classes == ("fog", "sunny day ☀️", "雨 rain")
    manifest = split(check(root, found))
    assert all(sum(len(f) for f in by_class.values()) for by_class in manifest.files.values())


def test_a_two_class_output_layer_name_keras_accepts():
    """A sigmoid unit is named after the second class: spaces, slashes and emoji are left out."""
    import dataclasses

    from core import datasets, recipes
    from core.training import models

    pair = datasets.labelled("weather", ("rain", "sunny day ☀️/🌞"),
                             {language: ("rain", "sunny day ☀️/🌞") for language in datasets.LANGUAGES},
                             image_size=(64, 64))
    datasets.register(pair)
    try:
        model = models.build(dataclasses.replace(recipes.get("scratch"), dataset=pair.id))
        assert model.layers[-1].name == "sunny_day_probability"
    finally:
        datasets.DATASETS.pop(pair.id)
