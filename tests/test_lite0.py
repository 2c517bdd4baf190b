"""EfficientNet-Lite0 base: Keras port matches the PyTorch reference (fixture from tools/convert_lite0.py)."""
from pathlib import Path

import keras
import numpy as np
import pytest

from core.training.bases import efficientnet_lite0 as lite0

FIXTURE = Path(__file__).parent / "fixtures" / "lite0_reference.npz"


@pytest.fixture(scope="module")
def base():
    return lite0.build((150, 150, 3), weights=True)


def test_matches_pytorch_reference(base):
    with np.load(FIXTURE) as ref:
        images, expected = ref["images"], ref["features"]
    x = lite0.preprocessing()(images.astype("float32"))
    pooled = keras.ops.convert_to_numpy(keras.layers.GlobalAveragePooling2D()(base(x, training=False)))
    assert pooled.shape == expected.shape == (len(images), 1280)
    assert np.abs(pooled - expected).max() <= 1e-4


def test_shape_params_and_name(base):
    assert base.name == "efficientnet_lite0"
    assert base.output_shape == (None, 5, 5, 1280)
    assert base.count_params() == 3_413_024  # the headless base


def test_fine_tune_layers_leave_batchnorm_frozen(base):
    layers = lite0.fine_tune_layers(base)
    assert layers and any(layer.name == "top_conv" for layer in layers)
    assert all(layer.name.startswith(("block7", "top_")) for layer in layers)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in layers)


def test_two_stages_add_stage_six_and_nothing_below(base):
    one, two = ({layer.name for layer in lite0.fine_tune_layers(base, blocks)} for blocks in (1, 2))
    assert one < two and {name[:6] for name in two - one} == {"block6"}
    assert not any(name.startswith(("block5", "block1", "stem")) for name in two)
    weights = sum(int(np.prod(w.shape)) for layer in base.layers if layer.name in two for w in layer.weights)
    assert 0.5 < weights / base.count_params() < 0.8  # the book's block5 trains 48 % of VGG16's weights


def test_on_data_applies_a_tunings_unfrozen_blocks(monkeypatch):
    from core import recipes

    tuned = recipes.Tuning(3e-5, 30, "test", unfreeze_blocks=2)
    monkeypatch.setitem(recipes.TUNINGS, ("clouds", "fine_tuning"), tuned)
    assert recipes.on_data(recipes.get("fine_tuning"), "clouds").unfreeze_blocks == 2
    assert recipes.on_data(recipes.get("fine_tuning"), "elsewhere").unfreeze_blocks == 1  # the book's one block


def test_random_init_needs_no_weights_file(monkeypatch, tmp_path):
    monkeypatch.setattr(lite0, "WEIGHTS_PATH", str(tmp_path / "missing.npz"))
    assert lite0.build((150, 150, 3), weights=False).output_shape == (None, 5, 5, 1280)
    with pytest.raises(FileNotFoundError, match="missing.npz"):
        lite0.build((150, 150, 3), weights=True)
