"""Any labelled folder (core.data.labelled), the data check (core.data.check) and the
leakage-free split (core.data.manifest), on generated folders with real faults; and on CCSN
itself where ../shared/data holds it."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from core.__main__ import main
from core.data.check import check
from core.data.folders import DataFolderError
from core.data.labelled import NAMES_FILE, scan
from core.data.manifest import split
from tests.conftest import SHARED_DATA


def _photo(seed: int, size=96) -> Image.Image:
    """A random smooth scene: different seeds give clearly different photos."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (6, 6, 3)).astype(np.uint8)
    return Image.fromarray(small).resize((size, size), Image.Resampling.BICUBIC)


@pytest.fixture
def folder(tmp_path):
    """Three classes (one Chinese, one nested in images/), a byte-identical copy across classes,
    a resized re-encoded copy within a class, a corrupt JPEG, a CSV and a hidden file."""
    root = tmp_path / "sky"
    counts = {"cirrus": 9, "積雲": 8, "stratus": 10}
    seed = 0
    for label, count in counts.items():
        folder = root / label / ("images" if label == "stratus" else "")
        folder.mkdir(parents=True)
        for i in range(count):
            _photo(seed).save(folder / f"{label}-{i}.jpg", quality=92)
            seed += 1
    (root / "積雲" / "積雲-0.jpg").write_bytes((root / "cirrus" / "cirrus-0.jpg").read_bytes())  # a conflict
    _photo(3).resize((80, 80)).save(root / "cirrus" / "cirrus-3-small.png")  # a near copy, same class
    good = (root / "cirrus" / "cirrus-1.jpg").read_bytes()
    (root / "cirrus" / "broken.jpg").write_bytes(good[: len(good) // 4])
    (root / "labels.csv").write_text("file,label\n")
    (root / "stratus" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / NAMES_FILE).write_text(json.dumps({"cirrus": {"en": "Cirrus", "zh-TW": "卷雲"}}), encoding="utf-8")
    return root


def test_a_labelled_folder_is_scanned_with_nested_images_and_names(folder):
    found = scan(folder)
    assert found.classes == ("cirrus", "stratus", "積雲")
    assert len(found.files["stratus"]) == 10 and all("images" in p.parts for p in found.files["stratus"])
    assert found.display_names == {"en": ("Cirrus", "stratus", "積雲"), "zh-TW": ("卷雲", "stratus", "積雲")}
    assert sorted(p.name for p in found.ignored) == [".DS_Store", "labels.csv"]
    assert not found.presplit


def test_the_check_finds_copies_conflicts_and_unreadable_files(folder):
    report = check(folder).to_json()
    assert report["counts"] == {"cirrus": 11, "stratus": 10, "積雲": 8}
    assert [u["file"] for u in report["unreadable"]] == ["cirrus/broken.jpg"]
    assert report["conflicts"] == [{"labels": ["cirrus", "積雲"], "exact": True,
                                    "files": ["cirrus/cirrus-0.jpg", "積雲/積雲-0.jpg"]}]
    near = [g for g in report["groups"] if not g["exact"]]
    assert near == [{"labels": ["cirrus"], "exact": False, "files": ["cirrus/cirrus-3-small.png", "cirrus/cirrus-3.jpg"]}]
    assert report["sizes"] == {"96x96": 27, "80x80": 1} and report["modes"] == {"RGB": 28}
    assert report["imbalance"] == pytest.approx(11 / 8, abs=0.01)


def test_the_split_is_seeded_stratified_and_leakage_free(folder):
    report = check(folder)
    manifest = split(report, seed=1)
    assert manifest == split(check(folder), seed=1)  # deterministic per seed
    assert manifest.files != split(report, seed=2).files
    assert manifest.left_out == ["cirrus/cirrus-0.jpg", "積雲/積雲-0.jpg"]
    sides = {f: s for s, by_class in manifest.files.items() for files in by_class.values() for f in files}
    assert sides["cirrus/cirrus-3.jpg"] == sides["cirrus/cirrus-3-small.png"]  # copies stay together
    assert "cirrus/broken.jpg" not in sides and "cirrus/cirrus-0.jpg" not in sides
    for label in report.classes:
        assert all(manifest.files[s][label] for s in ("train", "validation", "test"))
        assert len(manifest.files["train"][label]) >= len(manifest.files["test"][label])


def test_a_presplit_folder_keeps_its_sides_and_a_wrapper_folder_is_entered(tmp_path):
    seed = 0
    for side, count in (("train", 4), ("validation", 2), ("test", 2)):
        for label in ("a", "b"):
            (tmp_path / "wrap" / side / label).mkdir(parents=True)
            for i in range(count):
                _photo(seed).save(tmp_path / "wrap" / side / label / f"{i}.png")
                seed += 1
    found = scan(tmp_path)  # tmp_path holds one folder wrapping the split
    assert found.presplit and found.classes == ("a", "b") and found.images == 16
    report = check(found.root, found)
    assert not report.groups  # sixteen different photos: each keeps its folder's side
    manifest = split(report, splits=found.splits)
    assert manifest.presplit and manifest.counts()["validation"] == {"a": 2, "b": 2}


@pytest.mark.parametrize("layout, message", [
    ({"only": 3}, "holds 1 class folder"),
    ({"a": 3, "b": 0}, "hold no images"),
])
def test_folders_that_are_no_data_set_say_what_to_do(tmp_path, layout, message):
    for label, count in layout.items():
        (tmp_path / label).mkdir()
        for i in range(count):
            _photo(i).save(tmp_path / label / f"{i}.png")
    with pytest.raises(DataFolderError, match=message):
        scan(tmp_path)


def test_too_few_photos_for_a_split_is_a_clear_error(tmp_path):
    for label, count in (("a", 5), ("b", 2)):
        (tmp_path / label).mkdir()
        for i in range(count):
            _photo(100 * len(label) + i + (50 if label == "b" else 0)).save(tmp_path / label / f"{i}.png")
    with pytest.raises(DataFolderError, match=r"b \(2 images\)"):
        split(check(tmp_path))


def test_cli_check_data_prints_json(folder, capsys):
    assert main(["check-data", str(folder), "--json", "--split"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["images"] == 29 and len(report["conflicts"]) == 1
    assert sum(sum(c.values()) for c in report["split"]["counts"].values()) == 26  # 29 - broken - 2 conflicting


def test_cli_check_data_on_a_wrong_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["check-data", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.slow
def test_ccsn_check_finds_the_known_conflict():
    ccsn = SHARED_DATA / "ccsn"
    if not ccsn.is_dir():
        pytest.skip(f"CCSN is not here ({ccsn}): a fresh clone has none")
    report = check(ccsn)
    assert sum(report.counts.values()) == 2543 and len(report.classes) == 11
    conflicts = [{str(p.path.relative_to(ccsn)) for p in g} for g in report.conflicts]
    assert {"Ac/Ac-N013.jpg", "Cc/Cc-N029.jpg"} in conflicts
    manifest = split(report)
    used = [f for by_class in manifest.files.values() for files in by_class.values() for f in files]
    assert len(used) == len(set(used)) and not set(used) & set(manifest.left_out)


@pytest.mark.slow
def test_a_cats_dogs_recipe_trains_on_any_labelled_folder(folder, tmp_path):
    """Four classes (one Chinese, one nested): a softmax head, the labels in the ONNX file, the
    manifest in the run, copies and conflicts counted in the card, top-3 and macro-F1 measured."""
    for i in range(9):
        (folder / "nimbus").mkdir(exist_ok=True)
        _photo(500 + i).save(folder / "nimbus" / f"n{i}.jpg")
    out = tmp_path / "run"
    assert main(["train", "scratch", "--epochs", "1", "--data", str(folder), "--out", str(out)]) == 0
    from core.artifacts.card import Card
    from core.serving.inference import Predictor

    card = Card.read(out)
    assert card.dataset == "sky" and card.recipe == "scratch"
    assert card.data_check["label_conflicts"] == 1 and card.data_check["left_out"] == 2
    assert card.data_check["duplicate_groups"] == 2 and card.images_skipped == 0  # the broken file: unreadable
    assert set(card.metrics) >= {"top1", "top3", "macro_f1", "recall"} and len(card.metrics["recall"]) == 4
    assert card.test_accuracy == card.metrics["top1"]
    manifest = json.loads((out / "split.json").read_text())
    assert manifest["left_out"] == ["cirrus/cirrus-0.jpg", "積雲/積雲-0.jpg"]
    assert card.test_size == sum(manifest["counts"]["test"].values())
    model = Predictor(out)
    assert model.labels == ("cirrus", "nimbus", "stratus", "積雲") and model.output == "softmax"
    assert model.display_names["zh-TW"][0] == "卷雲"
