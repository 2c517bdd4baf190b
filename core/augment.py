"""Listing 5.11's augmentation as Keras 3 preprocessing layers: the one implementation that
training (core.train, in the tf.data pipeline) and the augmentation page's preview both run.

The book's ImageDataGenerator units are translated here, once:
- rotation_range is degrees; RandomRotation takes a fraction of a full turn (40 -> 40/360).
- shear_range is a shear *angle in degrees* in ImageDataGenerator, so the book's 0.2 is a
  0.2 degree shear (barely visible); RandomShear takes the shift as a fraction, tan(angle).
- zoom_range z draws a zoom in [1-z, 1+z] per axis, which RandomZoom(z, z) also does.
"""
from __future__ import annotations

import math

from core.recipes import Augmentation


def factors(spec: Augmentation) -> dict:
    """Keras 3 layer arguments for a spec (pure numbers: the page shows them)."""
    return {
        "rotation": spec.rotation_range / 360.0,
        "translation": (spec.height_shift_range, spec.width_shift_range),
        "shear": math.tan(math.radians(spec.shear_range)),
        "zoom": spec.zoom_range,
        "flip": "horizontal" if spec.horizontal_flip else None,
        "fill_mode": spec.fill_mode,
    }


def pipeline(spec: Augmentation, seed: int | None = None):
    """A keras.Sequential of random layers; call it with training=True to augment."""
    import keras

    f = factors(spec)
    layers = []
    if f["rotation"]:
        layers.append(keras.layers.RandomRotation(f["rotation"], fill_mode=f["fill_mode"], seed=seed))
    if any(f["translation"]):
        layers.append(keras.layers.RandomTranslation(*f["translation"], fill_mode=f["fill_mode"], seed=seed))
    if f["shear"]:
        layers.append(keras.layers.RandomShear(x_factor=f["shear"], y_factor=0.0, fill_mode=f["fill_mode"], seed=seed))
    if f["zoom"]:
        layers.append(keras.layers.RandomZoom(f["zoom"], f["zoom"], fill_mode=f["fill_mode"], seed=seed))
    if f["flip"]:
        layers.append(keras.layers.RandomFlip(f["flip"], seed=seed))
    return keras.Sequential(layers, name="augmentation")


def preview(image, spec: Augmentation, count: int, seed: int = 0):
    """`count` augmented versions of one HxWxC 0-255 image, as uint8 (for the page's grid)."""
    import numpy as np

    augment = pipeline(spec, seed=seed)
    batch = np.repeat(np.asarray(image, dtype=np.float32)[None], count, axis=0)
    out = np.asarray(augment(batch, training=True))
    return np.clip(out, 0, 255).astype(np.uint8)


def book_code(spec: Augmentation) -> str:
    """The book's Listing 5.11 with these values (Keras 2)."""
    return (
        "datagen = ImageDataGenerator(\n"
        f"    rotation_range={spec.rotation_range:g},\n"
        f"    width_shift_range={spec.width_shift_range:g},\n"
        f"    height_shift_range={spec.height_shift_range:g},\n"
        f"    shear_range={spec.shear_range:g},\n"
        f"    zoom_range={spec.zoom_range:g},\n"
        f"    horizontal_flip={spec.horizontal_flip},\n"
        f"    fill_mode='{spec.fill_mode}')"
    )


def keras3_code(spec: Augmentation) -> str:
    """The same augmentation in Keras 3 preprocessing layers (what core.augment builds)."""
    f = factors(spec)
    lines = ["augmentation = keras.Sequential(["]
    if f["rotation"]:
        lines.append(f"    layers.RandomRotation({f['rotation']:.4f}, fill_mode='{f['fill_mode']}'),  # {spec.rotation_range:g} deg")
    if any(f["translation"]):
        lines.append(f"    layers.RandomTranslation({f['translation'][0]:g}, {f['translation'][1]:g}, fill_mode='{f['fill_mode']}'),")
    if f["shear"]:
        lines.append(f"    layers.RandomShear(x_factor={f['shear']:.4f}, fill_mode='{f['fill_mode']}'),  # tan({spec.shear_range:g} deg)")
    if f["zoom"]:
        lines.append(f"    layers.RandomZoom({f['zoom']:g}, {f['zoom']:g}, fill_mode='{f['fill_mode']}'),")
    if f["flip"]:
        lines.append(f"    layers.RandomFlip('{f['flip']}'),")
    lines.append("])")
    return "\n".join(lines)


def demo_picture(size: int = 150):
    """A generated size x size RGB scene (sky, sun, ground, a house): an input for the preview
    with no data set on disk. Lop-sided on purpose, so flips and rotations show."""
    import numpy as np

    y, x = np.mgrid[0:size, 0:size] / size
    picture = np.empty((size, size, 3))
    picture[:] = np.stack([0.55 + 0.3 * y, 0.75 + 0.2 * y, np.ones_like(y)], axis=-1)  # sky
    picture[(x - 0.8) ** 2 + (y - 0.2) ** 2 < 0.01] = (1.0, 0.8, 0.1)  # sun, top right
    picture[y > 0.7] = (0.3, 0.65, 0.25)  # grass
    house = (x > 0.15) & (x < 0.5) & (y > 0.45) & (y < 0.75)
    picture[house] = (0.8, 0.25, 0.2)
    picture[(y > 0.25) & (y <= 0.45) & (abs(x - 0.325) < (y - 0.25) * 0.95)] = (0.45, 0.2, 0.15)  # roof
    picture[(x > 0.28) & (x < 0.37) & (y > 0.58) & (y < 0.75)] = (0.35, 0.2, 0.1)  # door
    return np.round(picture * 255).astype(np.uint8)


def sample_photos(per_class: int = 4) -> list:
    """A few training photos of each class from the local data folder (none in the repo:
    the book's data is never committed); [] when the folder is absent."""
    from core.data import CLASSES, DataFolderError, cats_dogs_root

    try:
        root = cats_dogs_root()
    except DataFolderError:
        return []
    photos = []
    for cls in CLASSES:
        folder = root / "train" / cls
        photos += sorted(folder.iterdir())[:per_class]
    return photos
