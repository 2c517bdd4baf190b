"""A drawn digit -> 28x28 MNIST style: white on black, longest side 20 px, centred by mass."""
import numpy as np
from PIL import Image, ImageDraw

from core.explainers import digits


def canvas(draw, size=280, background=(0, 0, 0, 0), ink=(0, 0, 0, 255)) -> np.ndarray:
    image = Image.new("RGBA", (size, size), background)
    draw(ImageDraw.Draw(image), ink)
    return np.asarray(image)


def mass_centre(a: np.ndarray) -> tuple[float, float]:
    yy, xx = np.mgrid[0:a.shape[0], 0:a.shape[1]] + 0.5
    return float((yy * a).sum() / a.sum()), float((xx * a).sum() / a.sum())


def box(a: np.ndarray, level=0.2) -> tuple[int, int]:
    rows, cols = np.nonzero(a > level * a.max())
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def seven(d, ink):
    d.line([(20, 20), (120, 20), (60, 150)], fill=ink, width=14)  # top-left corner of the canvas


def test_a_stroke_in_a_corner_is_scaled_and_centred():
    out = digits.from_canvas(canvas(seven))
    a = np.asarray(out, dtype=float)
    assert out.size == (28, 28) and out.mode == "L"
    assert max(box(a)) in (19, 20, 21)  # the longest side fills MNIST's 20 px box
    cy, cx = mass_centre(a)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    assert a.max() == 255 and a[0].max() == 0 and a[:, 0].max() == 0  # white digit, black frame


def test_aspect_ratio_is_kept():
    a = np.asarray(digits.from_canvas(canvas(lambda d, ink: d.rectangle([40, 100, 239, 139], fill=ink))), float)
    height, width = box(a)
    assert width == 20 and 3 <= height <= 5  # 200 x 40 -> 20 x 4


def test_white_strokes_on_an_opaque_black_canvas_give_the_same_digit():
    transparent = np.asarray(digits.from_canvas(canvas(seven)), float)
    opaque = np.asarray(digits.from_canvas(canvas(seven, background=(0, 0, 0, 255), ink=(255, 255, 255, 255))), float)
    assert np.abs(transparent - opaque).mean() < 3


def test_a_photo_of_dark_ink_on_white_paper_is_inverted():
    paper = Image.new("RGB", (300, 200), (235, 232, 225))
    ImageDraw.Draw(paper).ellipse([120, 40, 180, 160], outline=(30, 30, 40), width=12)  # a zero
    a = np.asarray(digits.to_mnist(paper), float)
    assert a[0].max() == 0 and a.max() == 255
    assert a[14, 14] < 60  # the hole of the zero stays dark


def test_an_empty_canvas_is_nothing():
    assert digits.from_canvas(canvas(lambda d, ink: None)) is None
    assert digits.from_canvas(None) is None
    assert digits.to_mnist(Image.new("L", (50, 50), 255)) is None
