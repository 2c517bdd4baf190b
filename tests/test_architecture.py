"""core.explainers.architecture: every formula adds up to the parameter count Keras reports, the
book's numbers (listing 5.1, 5.16-5.22, model_no_max_pool) come out of the real models, and the
summaries the page reads are exactly what the Keras models give (rebuilt in a slow test)."""
import hashlib
import json
import math

import pytest

from core import recipes
from core.artifacts.card import untrained
from core.artifacts.files import atomic_write_json
from core.artifacts.shipped import shipped_bases
from core.explainers import architecture as a

EVERY_SUMMARY = [(r, b) for r in recipes.RECIPE_IDS for b in (recipes.BASES if recipes.get(r).pretrained else (None,))]


def _result(formula: str) -> int:
    return int(formula.rsplit("=", 1)[1].replace(",", ""))


def _evaluate(formula: str) -> int:
    """The left side, computed: '3·3·32·64 + 64' -> 18,496."""
    left = formula.rsplit("=", 1)[0].replace(",", "")
    return sum(math.prod(int(factor) for factor in term.split("·")) for term in left.split("+"))


def test_formulas_read_like_the_book():
    assert a.conv_formula((3, 3), 32, 64) == "3·3·32·64 + 64 = 18,496"
    assert a.conv_formula((3, 3), 3, 32, bias=False) == "3·3·3·32 = 864"
    assert a.dense_formula(6272, 512) == "6,272·512 + 512 = 3,211,776"
    assert a.depthwise_formula((3, 3), 32, bias=False) == "3·3·32 = 288"
    assert a.batch_norm_formula(32) == "4·32 = 128"
    assert a.flatten_formula((22, 22, 64)) == "22·22·64 = 30,976"
    assert a.layer_formula("MaxPooling2D", {}, (None, 26, 26, 32)) == ""


@pytest.mark.parametrize("recipe_id,base", EVERY_SUMMARY)
def test_every_formula_adds_up_to_keras_count(recipe_id, base):
    summary = a.summary(recipe_id, base)
    tables = [summary["rows"], *summary["nested"].values()]
    checked = 0
    for rows in tables:
        for row in rows:
            if row["formula"]:
                assert _result(row["formula"]) == _evaluate(row["formula"]) == row["params"], row
                checked += 1
            elif not row["nested"]:
                assert row["params"] == 0, row  # no formula only for layers without weights
    assert checked >= 3
    assert summary["total"] == sum(row["params"] for row in summary["rows"])


def test_book_numbers():
    assert a.summary("mnist")["total"] == 93_322  # listing 5.2's summary
    assert a.summary("scratch")["total"] == 3_453_121  # listing 5.5's summary
    vgg = a.summary("feature_extraction", "vgg16")
    assert vgg["nested"]["vgg16"][-1]["output_shape"] == [None, 4, 4, 512]
    assert sum(r["params"] for r in vgg["nested"]["vgg16"]) == 14_714_688  # conv_base.summary()
    assert (vgg["total"], vgg["trainable"]) == (16_812_353, 2_097_665)  # listing 5.20
    assert a.summary("fine_tuning", "vgg16")["trainable"] == 9_177_089  # block5 + head


def test_spatial_sizes_open_the_nested_base():
    mnist = a.summary("mnist")
    sides = [s["height"] for s in a.spatial_sizes(mnist["rows"])]
    assert sides == [28, 28, 26, 13, 11, 5, 3]
    vgg = a.summary("feature_extraction", "vgg16")
    sizes = a.spatial_sizes(vgg["rows"], vgg["nested"])
    assert [s["height"] for s in sizes if "pool" in s["layer"]] == [75, 37, 18, 9, 4]
    assert sizes[-1] == {"layer": "block5_pool", "height": 4, "width": 4, "depth": 512}
    steps = a.size_changes(sizes)
    assert [s["layer"] for s in steps][:4] == ["pixels", "block1_conv1", "block1_pool", "block2_conv1"]
    assert len(a.size_changes(a.spatial_sizes(mnist["rows"]))) == 6  # rescale repeats the input


def test_model_no_max_pool_matches_the_book():
    comparison = a.pooling_comparison()
    without, with_pooling = comparison["without_pooling"], comparison["with_pooling"]
    assert [r["output_shape"] for r in without["rows"]] == [
        [None, 26, 26, 32], [None, 24, 24, 64], [None, 22, 22, 64]]
    assert without["receptive_field"] == 7
    assert without["coefficients"] == 30_976 and without["flatten_formula"] == "22·22·64 = 30,976"
    assert without["dense_params"] == 15_860_224  # "15.8 million parameters"
    assert round(without["dense_params"] / 1e6, 1) in (15.8, 15.9)
    assert with_pooling["receptive_field"] == 18 and with_pooling["coefficients"] == 576
    assert with_pooling["dense_params"] == 576 * 512 + 512


def test_a_pretrained_recipe_defaults_to_the_default_base():
    assert a.key("feature_extraction") == f"feature_extraction/{recipes.DEFAULT_BASE}"
    assert a.summary("fine_tuning") is a.summary("fine_tuning", recipes.DEFAULT_BASE)
    assert a.key("mnist") == "mnist" and a.key("mnist", "vgg16") == "mnist"  # from scratch: no base


@pytest.mark.slow
def test_the_data_file_is_what_the_keras_models_give():
    """`python -m core summaries` wrote the file; rebuilt here from the models, it must not differ
    (after a change to core.training.models, rerun the command)."""
    from core.explainers import summaries

    built = json.loads(json.dumps(summaries.build_all()))  # tuples -> lists, as the file holds them
    assert set(built["summaries"]) == {a.key(r, b) for r, b in EVERY_SUMMARY}
    assert json.loads(a.SUMMARIES.read_text()) == built


@pytest.mark.slow
def test_layer_stack_reads_windows_and_strides():
    import keras

    from core.explainers import summaries
    from core.training.models import build

    model = build(recipes.get("mnist"))
    assert summaries.layer_stack(model) == [("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1),
                                            ("pool", 2, 2), ("conv", 3, 1)]
    assert isinstance(summaries.no_max_pool_model(), keras.Model)


def _ship(trained, recipe_id, base):
    folder = trained / recipe_id
    folder.mkdir(parents=True)
    onnx = b"stand-in " + recipe_id.encode()
    (folder / "model.onnx").write_bytes(onnx)
    atomic_write_json(folder / "history.json", {k: [0.5] for k in ("accuracy", "val_accuracy", "loss", "val_loss")})
    untrained(recipes.get(recipe_id), hashlib.sha256(onnx).hexdigest(), base=base).write(folder)


def test_the_served_bases_come_from_the_shipped_models_cards(tmp_path):
    assert shipped_bases() == {recipes.DEFAULT_BASE: ["feature_extraction", "feature_extraction_augmented",
                                                      "fine_tuning"]}  # the models in trained/
    assert shipped_bases(tmp_path) == {}
    _ship(tmp_path, "fine_tuning", "vgg16")
    _ship(tmp_path, "feature_extraction_augmented", "vgg16")
    _ship(tmp_path, "feature_extraction", "efficientnet_lite0")
    _ship(tmp_path, "scratch", None)
    assert shipped_bases(tmp_path) == {"vgg16": ["feature_extraction_augmented", "fine_tuning"],
                                       "efficientnet_lite0": ["feature_extraction"]}
    (tmp_path / "fine_tuning" / "model.onnx").write_bytes(b"replaced")  # no longer served
    assert list(shipped_bases(tmp_path)) == ["efficientnet_lite0", "vgg16"]  # a tie: the chapter's order
