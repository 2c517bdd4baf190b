"""The models and inputs the benchmarks share: which ONNX models are here, their Keras twins,
a stand-in model when none is, sample images, and FLOP counts."""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import recipes
from core.artifacts.card import Card, untrained
from core.artifacts.files import atomic_write_json, sha256_file
from core.artifacts.rundir import HISTORY_KEYS, list_runs
from core.paths import TRAINED_DIR, runs_dir


@dataclass
class Model:
    recipe: str
    path: Path  # a run dir that core.inference.predictor accepts
    source: str  # "trained", "runs/<name>" or "stand-in (random weights)"
    card: Card

    @property
    def base(self) -> str | None:
        return self.card.base

    @property
    def shipped(self) -> bool:
        return self.source == "trained"


def present() -> list[Model]:
    """trained/<recipe> for each recipe that has one; else the newest finished run in runs/
    (a model still training is not there yet). In recipe order."""
    found: dict[str, Model] = {}
    for info in list_runs(TRAINED_DIR):
        if info.ok and info.recipe in recipes.RECIPES:
            found[info.recipe] = Model(info.recipe, info.path, "trained", info.card)
    for info in sorted(list_runs(runs_dir()), key=lambda i: i.path.stat().st_mtime):  # the newest wins
        if info.ok and info.recipe in recipes.RECIPES and not (info.recipe in found and found[info.recipe].shipped):
            found[info.recipe] = Model(info.recipe, info.path, f"runs/{info.name}", info.card)
    return [found[r] for r in recipes.RECIPE_IDS if r in found]


_stand_in_dir: Path | None = None


def stand_in(recipe_id: str = "scratch") -> Model:
    """The recipe's architecture with random weights, exported into a temp run dir (once per
    process): what the benchmarks measure where no model is here yet (a fresh clone, say)."""
    global _stand_in_dir
    from core.training import models
    from core.training.export import export_onnx

    if _stand_in_dir is None:
        _stand_in_dir = Path(tempfile.mkdtemp(prefix="bench-models-"))
        atexit.register(shutil.rmtree, _stand_in_dir, True)
    run = _stand_in_dir / recipe_id
    if not (run / "card.json").is_file():
        recipe = recipes.get(recipe_id)
        base = recipe.base_for()
        model = models.build(recipe, base, base_weights=False)
        sample = np.random.default_rng(0).uniform(0, 255, (4, *recipe.input_shape)).astype(np.float32)
        export_onnx(model, run / "model.onnx", sample, recipe.data, "none (random weights)")
        atomic_write_json(run / "history.json", {k: [0.5] for k in HISTORY_KEYS})
        untrained(recipe, sha256_file(run / "model.onnx")).write(run)
    return Model(recipe_id, run, "stand-in (random weights)", Card.read(run))


def session(onnx_path: Path, spinning: bool = True):
    """A CPU onnxruntime session. spinning=False stops its idle threads from busy-waiting, which
    on a shared, oversubscribed CPU steals the cores from whatever runs next (another session
    timed in turn, say)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])


def keras_model(recipe_id: str, base: str | None):
    """(model, where from): the newest runs/ model.keras of this recipe and base, else the
    recipe rebuilt with random weights (same architecture: the same work per image)."""
    import keras

    from core.training import models

    candidates = []
    root = runs_dir()
    if root.is_dir():
        for state_path in root.glob("*/state.json"):
            try:
                state = json.loads(state_path.read_text())
            except (OSError, ValueError):
                continue
            if state.get("recipe") == recipe_id and state.get("base") == base and (state_path.parent / "model.keras").is_file():
                candidates.append(state_path.parent)
    for run in sorted(candidates, key=lambda p: (p / "model.keras").stat().st_mtime, reverse=True):
        try:
            return keras.models.load_model(run / "model.keras"), f"runs/{run.name}/model.keras"
        except Exception:  # a half-written or foreign file: try the next, then rebuild
            continue
    model = models.build(recipes.get(recipe_id), base, base_weights=False)
    return model, "rebuilt by core.models.build (random weights)"


def sample_images(count: int, grey: bool):
    """PIL images as a user would send them: test photos (or MNIST test digits) when the data
    is here, else generated pictures of a photo's size."""
    from PIL import Image

    from core.data import folders
    from core.data.images import open_image
    from core.datasets import CATS_DOGS

    try:
        if grey:
            (_, _), (x_test, _) = folders.load_mnist(download=False)
            return [Image.fromarray(x_test[i]) for i in range(count)]
        paths, _ = folders.split_files(folders.cats_dogs_root(), "test", CATS_DOGS.classes)
        step = max(1, len(paths) // count)
        return [open_image(p) for p in paths[::step][:count]]
    except (folders.DataFolderError, OSError):
        rng = np.random.default_rng(0)
        shape = (28, 28) if grey else (375, 500, 3)
        return [Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8)) for _ in range(count)]


def _layers(model):
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
        else:
            yield layer


def flops(model) -> int:
    """FLOPs per image: 2 x the multiply-accumulates of every Conv2D, DepthwiseConv2D and Dense
    layer (nested bases included), each output position times the kernel's size."""
    import keras

    macs = 0
    for layer in _layers(model):
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)):
            positions = int(np.prod(layer.output.shape[1:-1] or [1]))
            macs += positions * int(np.prod(layer.kernel.shape))
    return 2 * macs
