"""core.data.augment: the one-matrix augmentation that training and the preview run, checked against
numpy's exact flips, quarter turns and shifts; the preview's numpy resampling against the training
op's pixels; TensorFlow's and JAX's pixels for the same matrices; both pipelines' seeds; the Keras 3
code the page shows, executed."""
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.data import augment, pipeline
from core.recipes import BOOK_AUGMENTATION, Augmentation

SIDE = 6
PICTURE = np.random.default_rng(0).uniform(0, 255, (1, SIDE, SIDE, 1)).astype("float32")
STILL = Augmentation(rotation_range=0, width_shift_range=0, height_shift_range=0, shear_range=0, zoom_range=0,
                     horizontal_flip=False)


REPO = Path(__file__).resolve().parents[1]
FILL_MODES = ("nearest", "reflect", "wrap", "constant")
WILD = Augmentation(rotation_range=180, width_shift_range=0.6, height_shift_range=0.6, shear_range=30,
                    zoom_range=0.6)  # far past the edges, so every fill mode is read


def resample(**parts) -> np.ndarray:
    """PICTURE through `augment` with exact parts (identity where not given)."""
    values = dict(rotation=0.0, shift_x=0.0, shift_y=0.0, shear=0.0, zoom_x=1.0, zoom_y=1.0, flip=1.0) | parts
    out = augment.augment(PICTURE, STILL, None, {k: np.array([v], np.float32) for k, v in values.items()})
    return np.asarray(out)[0, :, :, 0]


def wild_batch():
    """(pictures, fixed matrices) drawn from fixed seeds: 16 RGB 13x17 pictures."""
    pictures = np.random.default_rng(0).uniform(0, 255, (16, 13, 17, 3)).astype("float32")
    return pictures, augment.transforms(**augment.draw(WILD, 16, 13, 17, (5, 7)), height=13, width=17)


def test_each_part_of_the_matrix_is_the_exact_numpy_operation():
    picture = PICTURE[0, :, :, 0]
    assert np.array_equal(resample(), picture)
    assert np.array_equal(resample(flip=-1.0), picture[:, ::-1])
    assert np.allclose(resample(rotation=np.pi / 2), np.rot90(picture, -1), atol=1e-3)  # a quarter turn about the centre
    # the flip comes last, on the transformed picture (ImageDataGenerator's order)
    assert np.allclose(resample(rotation=np.pi / 2, flip=-1.0), np.rot90(picture, -1)[:, ::-1], atol=1e-3)
    shifted = resample(shift_x=2.0)  # the output reads two columns to the right; the edge repeats (nearest)
    assert np.array_equal(shifted[:, :4], picture[:, 2:])
    assert np.array_equal(shifted[:, 4:], np.repeat(picture[:, 5:], 2, axis=1))
    assert np.array_equal(resample(shift_y=-1.0)[1:], picture[:-1])
    zoomed = resample(zoom_x=2.0)  # a zoom above 1 reads twice the width: column j reads x = 2j - 2.5
    assert np.allclose(zoomed[:, 2], (picture[:, 1] + picture[:, 2]) / 2, atol=1e-3)
    assert np.allclose(zoomed[:, 3], (picture[:, 3] + picture[:, 4]) / 2, atol=1e-3)
    assert np.array_equal(zoomed[:, 0], picture[:, 0]) and np.array_equal(zoomed[:, 5], picture[:, 5])


def test_a_batch_gets_one_reproducible_draw_per_image_within_the_pictures_range():
    batch = np.repeat(PICTURE, 8, axis=0)
    first = np.asarray(augment.augment(batch, BOOK_AUGMENTATION, (1, 2)))
    assert first.shape == batch.shape and first.dtype == np.float32
    assert np.array_equal(first, np.asarray(augment.augment(batch, BOOK_AUGMENTATION, (1, 2))))
    assert not np.array_equal(first, np.asarray(augment.augment(batch, BOOK_AUGMENTATION, (1, 3))))
    assert len({image.tobytes() for image in first}) == 8  # every image drew its own transform
    assert first.min() >= PICTURE.min() - 1e-3 and first.max() <= PICTURE.max() + 1e-3  # bilinear: no overshoot
    assert np.array_equal(np.asarray(augment.augment(batch, STILL, (1, 2))), batch)


@pytest.mark.parametrize("field", ["rotation_range", "width_shift_range", "height_shift_range", "zoom_range",
                                   "horizontal_flip"])
def test_each_book_setting_alone_changes_the_picture(field):
    spec = dataclasses.replace(STILL, **{field: getattr(BOOK_AUGMENTATION, field)})
    picture = augment.demo_picture(32)[None].astype("float32")
    out = np.asarray(augment.augment(np.repeat(picture, 4, axis=0), spec, (0, 0)))
    assert any(not np.allclose(image, picture[0]) for image in out)


def test_the_preview_says_how_far_and_which_way_the_picture_moved():
    picture = np.zeros((33, 33, 3), np.uint8)
    picture[2:31, 16] = 255  # one bright column through the centre (16, 16): mirroring keeps it
    for field in ("width_shift_range", "rotation_range"):  # with the flip on: told first, it flips their signs
        spec = dataclasses.replace(STILL, horizontal_flip=True, **{field: getattr(BOOK_AUGMENTATION, field)})
        versions, parts = augment.preview(picture, spec, 8, seed=3)
        assert {p["flipped"] for p in parts} == {True, False}
        assert sum(abs(p["rotation"]) >= 10 for p in parts) >= (4 if field == "rotation_range" else 0)
        for version, drawn in zip(versions, parts):
            x = np.argmax(version[4, :, 0].astype(int))  # where the column crosses row 4 (12 above the centre)
            if field == "width_shift_range":
                assert abs(x - (16 + drawn["shift_x"])) <= 1
            elif abs(drawn["rotation"]) >= 10:  # clockwise: the top end turns right by 12 tan(angle)
                assert abs(x - (16 + 12 * np.tan(np.radians(drawn["rotation"])))) <= 1


def test_the_training_pipeline_draws_new_augmentations_each_pass_reproducibly():
    x = np.repeat(augment.demo_picture(16)[None], 6, axis=0)
    y = np.arange(6) % 2

    def passes(seed):
        ds = pipeline.dataset(x, y, 3, shuffle=False, augmentation=BOOK_AUGMENTATION, seed=seed)
        return [np.concatenate([images.numpy() for images, _ in ds]) for _ in range(2)]

    first, second = passes(0)
    assert first.shape == (6, 16, 16, 3)
    assert not np.array_equal(first, second)  # epoch 2 sees other versions of the photos
    again = passes(0)
    assert np.array_equal(first, again[0]) and np.array_equal(second, again[1])
    assert not np.array_equal(first, passes(1)[0])


def test_a_repeated_pipeline_streams_passes_end_to_end_as_the_books_generator():
    x = np.arange(5 * 2 * 2).reshape(5, 2, 2, 1).astype("uint8")
    batches = list(pipeline.dataset(x, np.zeros(5), 2, shuffle=False, repeat=True).take(6))
    assert [len(images) for images, _ in batches] == [2, 2, 1, 2, 2, 1]  # a short batch ends each pass


def test_the_keras3_code_shown_on_the_page_runs():
    import keras
    from keras import layers

    scope = {"keras": keras, "layers": layers}
    exec(augment.keras3_code(BOOK_AUGMENTATION), scope)
    out = scope["augmentation"](np.repeat(PICTURE, 2, axis=0), training=True)
    assert tuple(out.shape) == (2, SIDE, SIDE, 1)


@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_the_previews_numpy_resampling_gives_the_training_ops_pixels(fill_mode):
    pictures, matrices = wild_batch()
    trained = np.asarray(augment.apply(pictures, matrices, fill_mode))  # the default backend's op: TensorFlow
    assert np.abs(augment.resample(pictures, matrices, fill_mode) - trained).max() <= 1e-4


def test_the_preview_draws_what_training_draws_from_its_seed():
    picture = augment.demo_picture(24)
    versions, _ = augment.preview(picture, BOOK_AUGMENTATION, 4, seed=9)
    batch = np.repeat(picture[None].astype("float32"), 4, axis=0)
    trained = np.asarray(augment.augment(batch, BOOK_AUGMENTATION, (9, 0)))
    assert np.abs(versions.astype(float) - np.clip(trained, 0, 255).astype(np.uint8)).max() <= 1


def _pixels_under(backend: str) -> dict:
    """wild_batch's pictures through augment.apply in a fresh interpreter under `backend` (Keras
    picks its backend at import)."""
    code = ("import json, sys, numpy as np\n"
            "sys.path.insert(0, 'tests')\n"
            "from test_augment import FILL_MODES, wild_batch\n"
            "from core.data import augment\n"
            "pictures, matrices = wild_batch()\n"
            "np.savez(sys.argv[1], **{m: np.asarray(augment.apply(pictures, matrices, m)) for m in FILL_MODES})\n")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"augment-{backend}-{os.getpid()}.npz"
    env = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", code, str(out)], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    with np.load(out) as found:
        pixels = dict(found)
    out.unlink()
    return pixels


@pytest.mark.slow  # a fresh interpreter imports JAX: about 5 s
def test_tensorflow_and_jax_give_the_same_pixels_for_the_same_matrices():
    pictures, matrices = wild_batch()
    jax = _pixels_under("jax")
    for mode in FILL_MODES:
        ours = augment.resample(pictures, matrices, mode)  # = TensorFlow's (the test above)
        difference = np.abs(jax[mode] - ours)
        if mode == "wrap":  # TensorFlow's seam: the neighbour past the last row or column reads 0 (module docstring)
            assert difference.max() > 1 and np.median(difference) <= 1e-4
        else:
            assert difference.max() <= 1e-4, mode


def test_the_backend_neutral_stream_draws_new_augmentations_each_pass_reproducibly():
    x = np.repeat(augment.demo_picture(16)[None], 6, axis=0)
    y = np.arange(6)

    def passes(seed):
        stream = pipeline.batches(x, y, 4, shuffle=True, augmentation=BOOK_AUGMENTATION, seed=seed, repeat=True)
        return [np.asarray(stream[i][0]) for i in range(4)], [stream[i][1] for i in range(4)]

    (images, labels), again = passes(0), passes(0)
    assert [len(batch) for batch in labels] == [4, 2, 4, 2]  # a short batch ends each pass, as tf.data's
    assert sorted(np.concatenate(labels[:2])) == list(range(6)) and sorted(np.concatenate(labels[2:])) == list(range(6))
    assert not np.array_equal(images[0], images[2])  # the next pass: another order, other draws
    assert all(np.array_equal(a, b) for a, b in zip(images, again[0]))
    assert not np.array_equal(images[0], passes(1)[0][0])
