"""Listing 5.11's augmentation: the one implementation that training (core.data.pipeline, under
any Keras backend) and the augmentation page's preview both run.

Like the book's ImageDataGenerator, it draws a rotation, shift, shear, zoom and flip per image
and composes them into one matrix, so each image is resampled once (bilinear). The draw and the
matrices are numpy (a few numbers per image, from a seed); the resampling is
`keras.ops.image.affine_transform`, so it runs under TensorFlow, JAX or PyTorch, on the GPU
when there is one. The preview resamples the same matrices in numpy (`resample`, TensorFlow's
kernel rewritten), so the page imports neither TensorFlow nor Keras. Keras 3's random layers
do the same job one resampling per layer: slower and blurrier, so they are only shown, as code
to copy (`keras3_code`).

The book's units, in ImageDataGenerator and in Keras 3 layer arguments:
- rotation_range is degrees; RandomRotation takes a fraction of a full turn (40 -> 40/360).
- shear_range is a shear *angle in degrees* in ImageDataGenerator, so the book's 0.2 is a
  0.2 degree shear (barely visible); RandomShear takes the shift as a fraction, tan(angle).
- zoom_range z draws a zoom in [1-z, 1+z] per axis, which RandomZoom(z, z) also does.

Backends agree to 1e-4 (0-255 pixels) in every fill mode but `wrap`, where TensorFlow reads the
fill value (0) for the neighbour one step past the last row or column, a dark one-pixel seam,
and JAX and PyTorch wrap it; the preview draws TensorFlow's, the default backend's.
"""
from __future__ import annotations

import math

import numpy as np

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


def transforms(rotation, shift_x, shift_y, shear, zoom_x, zoom_y, flip, height: int, width: int) -> np.ndarray:
    """One projective transform per image (the 8-number form of TensorFlow and
    keras.ops.image.affine_transform, output pixel -> input pixel), composed from
    ImageDataGenerator's random_transform parts in its order: rotate . shift . shear . zoom,
    about the centre, then the horizontal flip. Angles in radians, shifts in pixels, flip +1 or
    -1 per image (tests pass exact values here); float32 (B, 8)."""
    rotation, shift_x, shift_y, shear, zoom_x, zoom_y, flip = (
        np.atleast_1d(np.asarray(v, np.float64)) for v in (rotation, shift_x, shift_y, shear, zoom_x, zoom_y, flip))
    cos, sin = np.cos(rotation), np.sin(rotation)
    zero, one = np.zeros_like(cos), np.ones_like(cos)

    def matrix(a, b, c, d):
        return np.stack([np.stack([a, b], -1), np.stack([c, d], -1)], -2)

    rotate = matrix(cos, sin, -sin, cos)  # (x, y) = (column, row)
    shear_ = matrix(np.cos(shear), zero, -np.sin(shear), one)  # ImageDataGenerator's shear_matrix
    linear = rotate @ shear_ @ matrix(zoom_x, zero, zero, zoom_y) @ matrix(flip, zero, zero, one)
    offset = (rotate @ np.stack([shift_x, shift_y], -1)[..., None])[..., 0]
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    translation = centre + offset - (linear @ centre)
    return np.stack([linear[:, 0, 0], linear[:, 0, 1], translation[:, 0],
                     linear[:, 1, 0], linear[:, 1, 1], translation[:, 1], zero, zero], axis=-1).astype(np.float32)


def draw(spec: Augmentation, batch: int, height: int, width: int, seed) -> dict:
    """Each image's random parts (ImageDataGenerator.get_random_transform's), in `transforms`'
    units, from `seed` (an int or a sequence of ints, negative ones too): the same seed always
    draws the same parts, on every backend and in the preview."""
    words = np.atleast_1d(np.asarray(seed, np.int64)).view(np.uint64)
    rng = np.random.default_rng([int(w) for w in words])
    batch = int(batch)

    def uniform(limit):
        return rng.uniform(-limit, limit, batch).astype(np.float32)

    flip = np.where(rng.uniform(size=batch) < 0.5, -1.0, 1.0) if spec.horizontal_flip else np.ones(batch)
    return {
        "rotation": uniform(math.radians(spec.rotation_range)),
        "shift_x": uniform(spec.width_shift_range * width), "shift_y": uniform(spec.height_shift_range * height),
        "shear": uniform(math.radians(spec.shear_range)),
        "zoom_x": 1.0 + uniform(spec.zoom_range), "zoom_y": 1.0 + uniform(spec.zoom_range),
        "flip": flip.astype(np.float32),
    }


def augment(images, spec: Augmentation, seed, parts: dict | None = None):
    """Listing 5.11 on a batch (B, H, W, C, float32) on the Keras backend's device: each image's
    parts drawn from `seed` (or given), all applied as one bilinear resampling (the Keras
    layers make four). Returns the backend's tensor."""
    batch, height, width = images.shape[0], images.shape[1], images.shape[2]
    parts = parts if parts is not None else draw(spec, batch, height, width, seed)
    return apply(images, transforms(**parts, height=height, width=width), spec.fill_mode)


def apply(images, matrices, fill_mode: str):
    """The one resampling of a batch by its (B, 8) matrices, in the Keras backend's op."""
    import keras

    return keras.ops.image.affine_transform(images, matrices, interpolation="bilinear", fill_mode=fill_mode,
                                            fill_value=0.0, data_format="channels_last")


def _map_coordinate(coordinate: np.ndarray, size: int, fill_mode: str) -> np.ndarray:
    """TensorFlow's MapCoordinate (image_ops.h): where an input coordinate outside the image reads."""
    if fill_mode == "constant":
        return coordinate
    if fill_mode == "nearest" or size <= 1:
        return np.clip(coordinate, 0, size - 1)
    c = coordinate.copy()
    low, high = c < 0, c > size - 1
    if fill_mode == "reflect":  # dcba|abcd|dcba
        double = 2 * size
        c[low] += double * np.trunc(-c[low] / double)
        c[low] = np.where(c[low] < -size, c[low] + double, -c[low] - 1)
        c[high] -= double * np.trunc(c[high] / double)
        c[high] = np.where(c[high] >= size, double - c[high] - 1, c[high])
    elif fill_mode == "wrap":  # abcd|abcd|abcd
        c[low] += size * (np.trunc(-c[low] / (size - 1)) + 1)
        c[high] -= size * np.trunc(c[high] / (size - 1))
    else:
        raise ValueError(f"unknown fill mode {fill_mode!r}")
    return np.clip(c, 0, size - 1)


def resample(images: np.ndarray, matrices: np.ndarray, fill_mode: str, fill_value: float = 0.0) -> np.ndarray:
    """`augment`'s resampling in numpy (TensorFlow's ImageProjectiveTransformV3, bilinear), for
    the preview: no TensorFlow or Keras to import."""
    images = np.asarray(images, np.float32)
    batch, height, width, _ = images.shape
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    out = np.empty_like(images)
    for i, (a0, a1, a2, b0, b1, b2, _, _) in enumerate(np.asarray(matrices, np.float32)):
        x = _map_coordinate(a0 * columns + a1 * rows + a2, width, fill_mode)
        y = _map_coordinate(b0 * columns + b1 * rows + b2, height, fill_mode)
        x0, y0 = np.floor(x), np.floor(y)

        def read(yy, xx):  # a pixel, or the fill value outside the image
            inside = (yy >= 0) & (yy < height) & (xx >= 0) & (xx < width)
            pixels = images[i, np.clip(yy, 0, height - 1).astype(int), np.clip(xx, 0, width - 1).astype(int)]
            return np.where(inside[..., None], pixels, np.float32(fill_value))

        wx, wy = (x - x0)[..., None], (y - y0)[..., None]
        top = (1 - wx) * read(y0, x0) + wx * read(y0, x0 + 1)
        bottom = (1 - wx) * read(y0 + 1, x0) + wx * read(y0 + 1, x0 + 1)
        out[i] = (1 - wy) * top + wy * bottom
    return out


def preview(image, spec: Augmentation, count: int, seed: int = 0) -> tuple:
    """`count` augmented versions of one HxWxC 0-255 image as uint8 (the matrices training would
    draw from this seed, resampled in numpy), and what each one drew, as a student sees it
    against the original: mirrored or not, then degrees clockwise, pixels moved right and
    down, the book's zoom factors (for the page's captions)."""
    batch = np.repeat(np.asarray(image, dtype=np.float32)[None], count, axis=0)
    height, width = batch.shape[1], batch.shape[2]
    parts = draw(spec, count, height, width, (seed, 0))
    out = resample(batch, transforms(**parts, height=height, width=width), spec.fill_mode)
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
