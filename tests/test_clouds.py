"""A recipe on a user's labelled folder (CCSN's cloud genera first): its tuned settings come
from core/recipes.py, its shipped folder names its data and never replaces the chapter's, the
random split that measures the leak, the leak's sentence, and cleanlab's ranking of likely
label errors."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from PIL import Image

from core import recipes
from core.artifacts.card import untrained
from core.artifacts.leak import leak_lesson
from core.artifacts.results import result_rows
from core.artifacts.rundir import list_runs, models
from core.artifacts.shipped import promote, shipped_name, table_markdown
from core.data.check import check
from core.data.manifest import split


def _photo(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.uniform(0, 255, (6, 6, 3)).astype(np.uint8)).resize((64, 64), Image.Resampling.BICUBIC)


@pytest.fixture
def sky(tmp_path):
    """Three classes of ten photos; one photo is also filed, as a byte copy, under another class."""
    root = tmp_path / "sky"
    for c, label in enumerate(("cirrus", "cumulus", "stratus")):
        (root / label).mkdir(parents=True)
        for i in range(10):
            _photo(100 * c + i).save(root / label / f"{i}.png")
    (root / "stratus" / "copy.png").write_bytes((root / "cirrus" / "0.png").read_bytes())
    return root


def _run(path, recipe_id: str, dataset: str, accuracy: float = 0.5, metrics: dict | None = None):
    path.mkdir(parents=True)
    (path / "model.onnx").write_bytes(path.name.encode())
    (path / "history.json").write_text(json.dumps({k: [0.5] for k in ("accuracy", "val_accuracy", "loss",
                                                                      "val_loss")}))
    (path / "split.json").write_text("{}")
    untrained(recipes.get(recipe_id), hashlib.sha256(path.name.encode()).hexdigest(), dataset=dataset, epochs=1,
              test_accuracy=accuracy, metrics=metrics, finished="2026-12-02T12:00:00+00:00").write(path)
    return path


def test_a_recipe_on_a_tuned_data_set_takes_its_learning_rate_and_epochs():
    for (dataset, recipe_id), tuning in recipes.TUNINGS.items():
        recipe = recipes.on_data(recipes.get(recipe_id), dataset)
        assert (recipe.dataset, recipe.learning_rate, recipe.epochs) == (dataset, tuning.learning_rate, tuning.epochs)
        assert tuning.chosen_by
    other = recipes.on_data(recipes.get("feature_extraction"), "my_folder")
    assert other.learning_rate == recipes.get("feature_extraction").learning_rate and other.dataset == "my_folder"


def test_a_cloud_model_is_shipped_beside_the_chapters_never_over_it(tmp_path):
    trained = tmp_path / "trained"
    _run(trained / "feature_extraction", "feature_extraction", "cats_and_dogs", 0.97)
    cloud = _run(tmp_path / "runs" / "fe-ccsn", "feature_extraction", "ccsn", 0.55,
                 {"top1": 0.55, "top3": 0.81, "macro_f1": 0.5, "recall": [0.5]})
    assert shipped_name("feature_extraction", "ccsn") == "ccsn-feature_extraction"
    assert shipped_name("feature_extraction", "cats_and_dogs") == "feature_extraction"
    target = promote(cloud, trained)
    assert target == trained / "ccsn-feature_extraction" and (target / "split.json").is_file()
    assert json.loads((trained / "feature_extraction" / "card.json").read_text())["test_accuracy"] == 0.97
    shipped, _ = models(trained=trained, root=tmp_path / "none")
    assert [(i.dataset, i.recipe) for i in shipped] == [("cats_and_dogs", "feature_extraction"),
                                                        ("ccsn", "feature_extraction")]
    assert [i.dataset for i in models("ccsn", trained=trained, root=tmp_path / "none")[0]] == ["ccsn"]
    rows = result_rows(list_runs(trained), every_recipe=False)
    assert [(r.dataset, r.book_accuracy is None) for r in rows] == [("cats_and_dogs", False), ("ccsn", True)]
    table = table_markdown(trained)
    assert "| ccsn | feature_extraction |" in table and "| 0.5500 | 0.8100 | 0.5000 | – |" in table


def test_a_shipped_folder_without_its_card_still_says_its_data(tmp_path):
    (tmp_path / "ccsn-fine_tuning").mkdir()
    (info,) = list_runs(tmp_path)
    assert (info.dataset, info.recipe, info.ok) == ("ccsn", "fine_tuning", False)


def test_the_random_split_ignores_copies_and_conflicts_the_clean_one_keeps_apart(sky):
    report = check(sky)
    assert len(report.conflicts) == 1
    clean, leaky = split(report, 0), split(report, 0, mode="random")
    assert len(clean.left_out) == 2 and not leaky.left_out and leaky.mode == "random"
    used = [f for by_class in leaky.files.values() for files in by_class.values() for f in files]
    assert len(used) == 31 and split(report, 0, mode="random").files == leaky.files
    with pytest.raises(ValueError, match="unknown split mode"):
        split(report, 0, mode="shuffled")


def test_the_copies_split_deals_copies_apart_but_still_leaves_conflicts_out(sky):
    """The split that measures the copies' part of the leak on its own: a within-class copy may
    land on both sides (never in the clean split), the cross-class conflict stays out."""
    (sky / "cumulus" / "again.png").write_bytes((sky / "cumulus" / "3.png").read_bytes())
    report = check(sky)

    def sides(manifest):
        return {side for side, by_class in manifest.files.items() for name in by_class["cumulus"]
                if name in ("cumulus/3.png", "cumulus/again.png")}

    seeds = range(20)
    copies = [split(report, seed, mode="copies") for seed in seeds]
    assert all(m.left_out == split(report, seed).left_out and len(m.left_out) == 2 for seed, m in zip(seeds, copies))
    assert all(len(sides(split(report, seed))) == 1 for seed in seeds)
    assert any(len(sides(m)) == 2 for m in copies)


def test_the_leak_sentence_numbers_come_from_the_benchmark(tmp_path):
    path = tmp_path / "leak.json"
    assert leak_lesson(path) is None
    path.write_text(json.dumps({"data": {"dataset": "ccsn", "recipe": "feature_extraction",
                                         "clean": {"top1": 0.52}, "random": {"top1": 0.61}}}))
    assert leak_lesson(path) == {"dataset": "ccsn", "recipe": "feature_extraction", "clean": 0.52,
                                 "random": 0.61, "points": 9.0}
    path.write_text(json.dumps({"data": {"dataset": "ccsn", "recipe": "feature_extraction", "clean": {"top1": 0.52},
                                         "copies": {"top1": 0.58}, "random": {"top1": 0.49}}}))
    lesson = leak_lesson(path)
    assert (lesson["points"], lesson["copy_points"], lesson["conflict_points"]) == (-3.0, 6.0, -9.0)
    path.write_text("{broken")
    assert leak_lesson(path) is None


def test_cleanlab_ranks_the_photo_that_looks_like_another_class_first(sky):
    """Features where each class is a cluster and one cumulus photo sits in the cirrus cluster."""
    from core.training.label_issues import rank

    report = check(sky)
    photos = [p for p in report.photos if p.problem is None]
    centre = {c: np.eye(8)[i] * 6 for i, c in enumerate(report.classes)}
    rng = np.random.default_rng(0)
    x = np.stack([centre[p.label] + rng.normal(0, 0.5, 8) for p in photos])
    odd = next(i for i, p in enumerate(photos) if p.label == "cumulus" and p.path.name == "3.png")
    x[odd] = centre["cirrus"] + rng.normal(0, 0.5, 8)
    issues = rank(report, x)
    assert issues and issues[0].file == "cumulus/3.png" and issues[0].suggested == "cirrus"
    assert issues[0].self_confidence < 0.5


@pytest.mark.slow
def test_cli_check_data_ranks_label_issues_from_the_pretrained_features(sky, capsys):
    from core.__main__ import main

    assert main(["check-data", str(sky), "--json", "--label-issues", "5"]) == 0
    report = json.loads(capsys.readouterr().out)
    issues = report["label_issues"]
    assert all(set(i) == {"file", "label", "suggested", "self_confidence"} for i in issues)
    assert all((sky / i["file"]).is_file() and 0 <= i["self_confidence"] <= 1 for i in issues)
