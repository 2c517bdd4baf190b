"""A phone's photo, made for the measurement (no binary in the repository): a cat photo scaled
to 12 megapixels (4032x3024 as stored), with a phone's sensor noise, stored sideways with EXIF
orientation 6 as phones do, saved as a JPEG of about 3.3 MB."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

PHONE_SIZE = (4032, 3024)  # stored (width, height); upright it is 3024 wide, 4032 tall
ROTATE_ON_SHOW = 6  # EXIF: turn 90° clockwise to show


def phone_photo(source: bytes, quality: int = 92, noise: float = 6.0) -> bytes:
    """`source` (any photo's bytes) upright as a 3024x4032 portrait, stored sideways."""
    upright = Image.open(io.BytesIO(source)).convert("RGB")
    upright = upright.resize(PHONE_SIZE[::-1], Image.Resampling.BICUBIC)
    pixels = np.asarray(upright, dtype=np.float32)
    grain = np.random.default_rng(0).normal(0.0, noise, pixels.shape).astype(np.float32)
    stored = Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = ROTATE_ON_SHOW  # Orientation
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def cat_photo() -> bytes:
    """The book's first test cat where the data is here, else a generated picture of a photo's
    size, so a fresh clone measures too (tests/e2e/conftest.py's cat_photo fixture is this)."""
    from core.data.folders import DataFolderError, cats_dogs_root

    try:
        return sorted((cats_dogs_root() / "test" / "cats").glob("*.jpg"))[0].read_bytes()
    except (DataFolderError, IndexError):
        pixels = np.random.default_rng(1).normal(110, 20, (240, 320, 3))
        pixels[60:180, 100:220] = [200, 80, 60]
        buffer = io.BytesIO()
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=90)
        return buffer.getvalue()
