"""Listing 5.11's augmentation: the one implementation that training (core.data's tf.data
pipeline) and the augmentation page's preview both run.

Like the book's ImageDataGenerator, it draws a rotation, shift, shear, zoom and flip per image
and composes them into one matrix, so each image is resampled once (bilinear, one TF op per
batch). Keras 3's random layers do the same job one resampling per layer: slower and blurrier,
so they are only shown, as code to copy (`keras3_code`).

The book's units, in ImageDataGenerator and in Keras 3 layer arguments:
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


def transforms(rotation, shift_x, shift_y, shear, zoom_x, zoom_y, flip, height: int, width: int):
    """One projective transform per image (TF's 8-number form, output pixel -> input pixel),
    composed from ImageDataGenerator's random_transform parts in its order: rotate . shift .
    shear . zoom, about the centre, then the horizontal flip. Angles in radians, shifts in
    pixels, flip +1 or -1 per image (tests pass exact values here)."""
    import tensorflow as tf

    cos, sin = tf.cos(rotation), tf.sin(rotation)
    zero, one = tf.zeros_like(cos), tf.ones_like(cos)

    def matrix(*rows):
        return tf.reshape(tf.stack(rows, axis=-1), (-1, 2, 2))

    rotate = matrix(cos, sin, -sin, cos)  # (x, y) = (column, row)
    shear_ = matrix(tf.cos(shear), zero, -tf.sin(shear), one)  # ImageDataGenerator's shear_matrix
    linear = rotate @ shear_ @ matrix(zoom_x, zero, zero, zoom_y) @ matrix(flip, zero, zero, one)
    offset = tf.squeeze(rotate @ tf.stack([shift_x, shift_y], axis=-1)[..., None], -1)
    centre = tf.constant([(width - 1) / 2, (height - 1) / 2], tf.float32)
    translation = centre + offset - tf.squeeze(linear @ centre[:, None], -1)
    return tf.stack([linear[:, 0, 0], linear[:, 0, 1], translation[:, 0],
                     linear[:, 1, 0], linear[:, 1, 1], translation[:, 1], zero, zero], axis=-1)


def draw(spec: Augmentation, batch, height: int, width: int, seed) -> dict:
    """Each image's random parts (ImageDataGenerator.get_random_transform's), in `transforms`'
    units, from a stateless `seed` pair: the same pair always draws the same parts."""
    import tensorflow as tf

    seeds = iter(tf.unstack(tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 7)))

    def uniform(limit):
        return tf.random.stateless_uniform([batch], next(seeds), -limit, limit)

    flip = tf.where(tf.random.stateless_uniform([batch], next(seeds)) < 0.5, -1.0, 1.0) \
        if spec.horizontal_flip else tf.ones([batch])
    return {
        "rotation": uniform(math.radians(spec.rotation_range)),
        "shift_x": uniform(spec.width_shift_range * width), "shift_y": uniform(spec.height_shift_range * height),
        "shear": uniform(math.radians(spec.shear_range)),
        "zoom_x": 1.0 + uniform(spec.zoom_range), "zoom_y": 1.0 + uniform(spec.zoom_range),
        "flip": flip,
    }


def augment(images, spec: Augmentation, seed, parts: dict | None = None):
    """Listing 5.11 on a batch (B, H, W, C, float32): each image's parts drawn from `seed` (or
    given), all applied as one bilinear resampling (the Keras layers make four)."""
    import tensorflow as tf

    height, width = images.shape[1], images.shape[2]
    parts = parts if parts is not None else draw(spec, tf.shape(images)[0], height, width, seed)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms(**parts, height=height, width=width), output_shape=[height, width],
        fill_value=0.0, interpolation="BILINEAR", fill_mode=spec.fill_mode.upper())


def preview(image, spec: Augmentation, count: int, seed: int = 0) -> tuple:
    """`count` augmented versions of one HxWxC 0-255 image as uint8, and what each one drew, as a
    student sees it against the original: mirrored or not, then degrees clockwise, pixels moved
    right and down, the book's zoom factors (for the page's captions)."""
    import numpy as np

    batch = np.repeat(np.asarray(image, dtype=np.float32)[None], count, axis=0)
    parts = draw(spec, count, batch.shape[1], batch.shape[2], (seed, 0))
    out = np.asarray(augment(batch, spec, None, parts))
    values = {name: np.asarray(value, dtype=float) for name, value in parts.items()}
    described = []
    for i in range(count):
        mirror = float(values["flip"][i])  # the flip comes last: told first, the turn and the shift across change sign
        described.append({"flipped": mirror < 0,
                          "rotation": mirror * math.degrees(values["rotation"][i]),  # clockwise, as seen
                          "shift_x": -mirror * values["shift_x"][i], "shift_y": -values["shift_y"][i],  # moved by
                          "shear": mirror * math.degrees(values["shear"][i]),
                          "zoom_x": values["zoom_x"][i], "zoom_y": values["zoom_y"][i]})
    return np.clip(out, 0, 255).astype(np.uint8), described


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
    """The same augmentation written as Keras 3 preprocessing layers: the page shows it as code (a
    test runs it); training runs `augment`, one matrix per image, instead. One argument per line,
    so that each line fits a half-width code block on a 1280-px projector and never wraps."""
    f = factors(spec)
    calls = []  # (layer, its arguments before fill_mode, which each one ends with)
    if f["rotation"]:
        calls.append(("RandomRotation", [f"factor={f['rotation']:.4f},  # {spec.rotation_range:g} deg"]))
    if any(f["translation"]):
        calls.append(("RandomTranslation", [f"height_factor={f['translation'][0]:g},",
                                            f"width_factor={f['translation'][1]:g},"]))
    if f["shear"]:
        calls.append(("RandomShear", [f"x_factor={f['shear']:.4f},  # tan({spec.shear_range:g} deg)"]))
    if f["zoom"]:
        calls.append(("RandomZoom", [f"height_factor={f['zoom']:g},", f"width_factor={f['zoom']:g},"]))
    lines = ["augmentation = keras.Sequential(["]
    for name, arguments in calls:
        lines += [f"    layers.{name}(", *(f"        {argument}" for argument in arguments),
                  f"        fill_mode='{f['fill_mode']}'),"]
    if f["flip"]:
        lines.append(f"    layers.RandomFlip('{f['flip']}'),")
    lines.append("])")
    return "\n".join(lines)


def demo_picture(size: int):
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
