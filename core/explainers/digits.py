"""A drawn or photographed digit -> a 28x28 MNIST-style image (numpy and Pillow only).

MNIST digits are white on black, scaled so the longest side is 20 px (aspect kept) and
placed in a 28x28 frame with their centre of mass at the centre. A digit drawn on a
300 px canvas looks nothing like that until it gets the same treatment; the model itself
then applies the shared preprocessing (`core.data.images.prepare_image`).
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from core.data.images import to_mode

SIZE = 28
BOX = 20  # MNIST's digits fit a 20x20 box inside the 28x28 frame
INK = 0.2  # a pixel is ink above this fraction of the brightest one (after background removal)


def white_on_black(image: Image.Image) -> np.ndarray:
    """Grey float pixels with the ink bright: transparency goes on white (to_mode), and a light
    background (the border's median above mid-grey) is inverted."""
    grey = np.asarray(to_mode(image, grey=True), dtype=np.float64)
    background = float(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))
    if background > 127:
        grey, background = 255.0 - grey, 255.0 - background
    return np.clip(grey - background, 0, 255)


def to_mnist(image: Image.Image) -> Image.Image | None:
    """The 28x28 white-on-black digit ("L" mode), or None when nothing is drawn."""
    ink = white_on_black(image)
    if ink.max() <= 0:
        return None
    rows, cols = np.nonzero(ink > INK * ink.max())
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    height, width = crop.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    digit = np.asarray(Image.fromarray((crop * 255.0 / crop.max()).astype(np.uint8)).resize(
        size, Image.Resampling.LANCZOS), dtype=np.float64)
    total = digit.sum()
    if total <= 0:
        return None
    yy, xx = np.mgrid[0:digit.shape[0], 0:digit.shape[1]]
    centre_y, centre_x = (yy * digit).sum() / total, (xx * digit).sum() / total
    top = int(np.clip(round(SIZE / 2 - centre_y - 0.5), 0, SIZE - digit.shape[0]))
    left = int(np.clip(round(SIZE / 2 - centre_x - 0.5), 0, SIZE - digit.shape[1]))
    frame = np.zeros((SIZE, SIZE), dtype=np.uint8)
    frame[top:top + digit.shape[0], left:left + digit.shape[1]] = np.clip(digit, 0, 255).astype(np.uint8)
    return Image.fromarray(frame, "L")


def from_canvas(rgba: np.ndarray | None) -> Image.Image | None:
    """The canvas's RGBA pixels -> to_mnist; None for an empty canvas. On a transparent layer
    the strokes' opacity is the ink, whatever their colour."""
    if rgba is None or not np.asarray(rgba).size:
        return None
    rgba = np.asarray(rgba, dtype=np.uint8)
    if rgba[..., 3].min() < 255:
        return to_mnist(Image.fromarray(np.ascontiguousarray(rgba[..., 3]), "L"))
    return to_mnist(Image.fromarray(rgba, "RGBA"))
