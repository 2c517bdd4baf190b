"""A phone's photo through open_image's reduced decode (`fit`): upright, its full size recorded,
decoded no larger than needed, and the same verdicts as the full-size decode (bench/phone.py
measures the speed; nothing is timed here)."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bench._photos import cat_photo, phone_photo
from core.data.images import ORIENTATION_FIXED, ORIGINAL_SIZE, open_image


def _sideways_jpeg(size=(1600, 1200)) -> bytes:
    """A landscape-stored JPEG that EXIF orientation 6 shows as a portrait, its top row red."""
    upright = np.full((size[0], size[1], 3), 90, np.uint8)  # portrait: size[0] tall
    upright[: size[0] // 8] = [220, 30, 30]
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90).save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def test_a_reduced_decode_is_upright_knows_its_full_size_and_covers_the_fit():
    data = _sideways_jpeg()
    full, reduced = open_image(data), open_image(data, fit=(150, 150))
    assert full.size == (1200, 1600) and full.info[ORIGINAL_SIZE] == (1200, 1600)
    assert reduced.info[ORIGINAL_SIZE] == (1200, 1600) and reduced.info[ORIENTATION_FIXED]
    assert reduced.size == (150, 200)  # 1/8 scale: the largest reduction that still covers 150x150
    assert np.asarray(reduced)[2, 75, 0] > 180 and np.asarray(reduced)[-2, 75, 0] < 120  # the red band on top


def test_fit_leaves_other_formats_and_small_photos_whole():
    png = io.BytesIO()
    Image.new("RGB", (1600, 1200), "white").save(png, "PNG")
    assert open_image(png.getvalue(), fit=(150, 150)).size == (1600, 1200)
    small = _sideways_jpeg((200, 160))
    assert open_image(small, fit=(150, 150)).size == (160, 200)  # 1/2 would not cover 150 px


@pytest.mark.slow  # a 12-megapixel photo, decoded twice, and five models
def test_a_12_megapixel_phone_photo_gets_the_full_decodes_verdicts():
    from bench import _models
    from core.serving.inference import predictor
    from pages._inputs import PHOTO

    models = [predictor(m.path) for m in _models.present() if m.recipe != "mnist"]
    if not models:
        pytest.skip("no cat/dog model is here")
    data = phone_photo(cat_photo())
    full, reduced = open_image(data), open_image(data, fit=(PHOTO, PHOTO))
    assert reduced.info[ORIGINAL_SIZE] == full.size == (3024, 4032)
    assert reduced.width < full.width / 4 and min(reduced.size) >= PHOTO
    for model in models:
        assert abs(model.predict(full).probabilities[1] - model.predict(reduced).probabilities[1]) <= 0.01, model.name
