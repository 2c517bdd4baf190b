"""The shipped models in trained/: present, verified, honouring the ONNX contract, and
described truthfully by their cards and the generated table."""
from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from core import recipes
from core.artifacts.files import sha256_file
from core.artifacts.rundir import read_run
from core.artifacts.shipped import table_markdown
from core.paths import TRAINED_DIR
from core.serving.inference import predictor

SIZE_BUDGET = 150 * 2**20  # issue 12: the cloud-genus models joined the chapter's


@pytest.mark.parametrize("recipe_id", recipes.RECIPE_IDS)
def test_shipped_model_is_complete_and_verified(recipe_id):
    info = read_run(TRAINED_DIR / recipe_id)
    assert info.ok, f"trained/{recipe_id}: {info.problem}"
    card = info.card
    assert card.recipe == recipe_id
    assert card.sha256 == sha256_file(TRAINED_DIR / recipe_id / "model.onnx")
    assert card.parity_max_abs_diff <= 1e-4
    assert len(info.history["accuracy"]) == card.epochs <= card.epochs_planned
    assert card.epochs_planned == recipes.get(recipe_id).epochs
    assert all(len(info.history[k]) == card.epochs for k in ("val_accuracy", "loss", "val_loss"))
    assert card.test_size == (10_000 if recipe_id == "mnist" else 1_000)
    assert sum(map(sum, card.confusion)) == card.test_size
    correct = sum(card.confusion[i][i] for i in range(len(card.confusion)))
    assert correct / card.test_size == pytest.approx(card.test_accuracy, abs=1e-4)
    if recipes.get(recipe_id).pretrained:
        assert card.base == "efficientnet_lite0"


@pytest.mark.parametrize("recipe_id", recipes.RECIPE_IDS)
def test_shipped_model_honours_the_onnx_contract(recipe_id):
    recipe = recipes.get(recipe_id)
    session = ort.InferenceSession(str(TRAINED_DIR / recipe_id / "model.onnx"), providers=["CPUExecutionProvider"])
    (model_input,) = session.get_inputs()
    assert model_input.name == "pixels" and model_input.type == "tensor(float)"
    assert tuple(model_input.shape[1:]) == recipe.input_shape
    rng = np.random.default_rng(0)
    batch = rng.uniform(0, 255, (4, *recipe.input_shape)).astype(np.float32)
    out = session.run(None, {"pixels": batch})[0]
    assert out.shape == (4, 10 if recipe_id == "mnist" else 1)
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    if recipe_id == "mnist":
        assert np.allclose(out.sum(axis=1), 1, atol=1e-5)
    probabilities = predictor(TRAINED_DIR / recipe_id).run(batch)
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_trained_folder_fits_its_budget():
    total = sum(p.stat().st_size for p in TRAINED_DIR.rglob("*") if p.is_file())
    assert total <= SIZE_BUDGET, f"trained/ is {total / 2**20:.1f} MiB"


def test_table_is_generated_from_the_cards():
    table = table_markdown()
    for recipe_id in recipes.RECIPE_IDS:
        card = read_run(TRAINED_DIR / recipe_id).card
        assert f"| {recipe_id} |" in table and f"{card.test_accuracy:.4f}" in table
    assert table in (TRAINED_DIR / "README.md").read_text()


CLOUD = sorted(p.name for p in TRAINED_DIR.iterdir()
               if p.is_dir() and p.name not in recipes.RECIPES and p.name != "reference")  # trained/<data>-<recipe>/


def test_cloud_genus_models_are_shipped():
    assert {"ccsn-feature_extraction", "ccsn-scratch_augmented"} <= set(CLOUD)


@pytest.mark.parametrize("name", CLOUD)
def test_a_model_of_another_data_set_carries_its_labels_split_and_scores(name):
    """trained/<data set>-<recipe>/: its card names the data, the split it was tested on (split.json,
    shipped beside it), the copies and conflicts found, top-1, top-3, macro-F1 and per-class recall."""
    import json

    from core.artifacts.shipped import shipped_name
    from core.serving.inference import Predictor

    info = read_run(TRAINED_DIR / name)
    assert info.ok, f"trained/{name}: {info.problem}"
    card, check = info.card, info.card.data_check
    assert name == shipped_name(card.recipe, card.dataset) and card.dataset not in ("mnist", "cats_and_dogs")
    recipe = recipes.on_data(recipes.get(card.recipe), card.dataset)
    assert (card.learning_rate, card.epochs_planned) == (recipe.learning_rate, recipe.epochs)
    assert len(info.history["accuracy"]) == card.epochs <= card.epochs_planned
    manifest = json.loads((TRAINED_DIR / name / "split.json").read_text())
    classes = tuple(check["classes"])
    assert tuple(manifest["classes"]) == classes and manifest["mode"] == check["split_mode"] == "clean"
    assert card.test_size == sum(manifest["counts"]["test"].values()) == sum(map(sum, card.confusion))
    used = [f for by_class in manifest["files"].values() for files in by_class.values() for f in files]
    assert len(used) == len(set(used)) and not set(used) & set(manifest["left_out"])
    assert len(manifest["left_out"]) == check["left_out"] and check["label_conflicts"] == len(check["conflicts"])
    assert check["duplicate_groups"] >= check["label_conflicts"] > 0
    metrics = card.metrics
    assert metrics["top1"] == card.test_accuracy and 0 <= metrics["top1"] <= metrics["top3"] <= 1
    assert 0 <= metrics["macro_f1"] <= 1 and len(metrics["recall"]) == len(classes)
    model = Predictor(TRAINED_DIR / name)
    assert model.labels == classes and model.output == "softmax"
    assert model.display_names["zh-TW"] == tuple(check["display_names"]["zh-TW"])
